{#- What the land_sources hook found in the landing folder on this run, one row per entity
    of the landing contract: the one model that reads the hook's table, so every other
    model reads sources through staging. -#}
with

source as (

    select * from {{ source('landing', 'files') }}

),

renamed as (

    select
        source_system,
        entity,
        status,
        file_path,
        rows_landed,
        is_required

    from source

)

select * from renamed
