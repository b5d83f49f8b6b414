with

source as (

    select * from {{ source('master', 'sku_crosswalk') }}

),

renamed as (

    select
        lower(trim(system)) as source_system,
        source_code,
        master_sku,
        master_family,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
