{#- Price per each for every master SKU: the realized net price of its CRM order lines
    (value / units over all used, non-cancelled lines), else the average CRM list price of
    its codes, else null. Used to put a money size on unit differences. -#}
with

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

products as (

    select * from {{ ref('int_products_checked') }}
    where quarantine_rule is null

),

skus as (

    select distinct
        master_sku,
        master_family
    from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp' and master_sku is not null

),

realized as (

    select
        master_sku,
        sum(quantity_eaches * unit_price) / nullif(sum(quantity_eaches), 0) as realized_price

    from orders
    group by master_sku

),

listed as (

    select
        master_sku,
        avg(list_price) as list_price

    from products
    group by master_sku

),

prices as (

    select
        skus.master_sku,
        skus.master_family,
        cast(coalesce(realized.realized_price, listed.list_price) as double) as unit_price,
        case
            when realized.realized_price is not null then 'realized_order_price'
            when listed.list_price is not null then 'crm_list_price'
            else 'unknown'
        end as price_basis

    from skus
    left join realized on skus.master_sku = realized.master_sku
    left join listed on skus.master_sku = listed.master_sku

)

select * from prices
