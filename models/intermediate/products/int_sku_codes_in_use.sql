{#- The CRM and ERP codes in use, one row per system and code: every ERP item (erp/items)
    and every product code CRM writes (products, orders, promotions, sales forecast), nulls
    left out. int_skus_mapped_to_master maps each of them to a master SKU. -#}
with

erp_items as (

    select * from {{ ref('stg_erp__items') }}

),

crm_products as (

    select * from {{ ref('stg_crm__products') }}

),

crm_orders as (

    select * from {{ ref('stg_crm__orders') }}

),

crm_promotions as (

    select * from {{ ref('stg_crm__promotions') }}

),

crm_sales_forecasts as (

    select * from {{ ref('stg_crm__sales_forecasts') }}

),

items as (

    select erp_item

    from erp_items
    where erp_item is not null
    group by erp_item

),

crm_codes as (

    select crm_product_code as source_code from crm_products
    union
    select crm_product_code from crm_orders
    union
    select crm_product_code from crm_promotions
    union
    select crm_product_code from crm_sales_forecasts

),

sku_codes as (

    select
        'erp' as source_system,
        erp_item as source_code

    from items

    union all

    select
        'crm' as source_system,
        source_code

    from crm_codes
    where source_code is not null

)

select * from sku_codes
