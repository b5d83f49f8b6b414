with

source as (

    select * from {{ source('crm', 'sales_forecast') }}

),

renamed as (

    select
        crm_product_code,
        period_start,
        quantity as quantity_eaches,
        submitted_at,
        submitted_by,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
