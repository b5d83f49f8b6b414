with

source as (

    select * from {{ source('crm', 'orders') }}

),

renamed as (

    select
        order_id,
        line_no,
        customer_id,
        crm_product_code,
        order_date,
        requested_date,
        quantity as quantity_eaches,
        unit_price,
        upper(trim(currency)) as currency,
        lower(trim(status)) as status,
        promo_id,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
