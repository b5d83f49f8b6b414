with

source as (

    select * from {{ source('erp', 'capacity') }}

),

renamed as (

    select
        resource_id,
        period_start,
        available_hours,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
