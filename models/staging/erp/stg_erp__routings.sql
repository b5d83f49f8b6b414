with

source as (

    select * from {{ source('erp', 'routings') }}

),

renamed as (

    select
        erp_item,
        resource_id,
        hours_per_unit,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
