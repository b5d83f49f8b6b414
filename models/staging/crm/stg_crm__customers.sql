with

source as (

    select * from {{ source('crm', 'customers') }}

),

renamed as (

    select
        customer_id,
        customer_name,
        segment,
        region,
        country,
        priority,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
