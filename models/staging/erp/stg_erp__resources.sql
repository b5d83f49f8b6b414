with

source as (

    select * from {{ source('erp', 'resources') }}

),

renamed as (

    select
        resource_id,
        description,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
