with

source as (

    select * from {{ source('crm', 'products') }}

),

renamed as (

    select
        crm_product_code,
        product_name,
        list_price,
        upper(trim(currency)) as currency,
        _landing_row,
        _landing_file

    from source

)

select * from renamed
