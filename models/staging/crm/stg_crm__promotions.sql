with

source as (

    select * from {{ source('crm', 'promotions') }}

),

renamed as (

    select
        promo_id,
        crm_product_code,
        start_date,
        end_date,
        discount_pct,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
