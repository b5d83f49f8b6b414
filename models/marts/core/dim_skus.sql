{#- The master SKU dictionary: one row per master SKU of the master list (int_master_skus)
    with its family, the ERP item(s) and CRM code(s) that map to it, unit of measure, cost,
    price and lifecycle status. -#}
with

masters as (

    select * from {{ ref('int_master_skus') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}

),

items as (

    select * from {{ ref('int_items_checked') }}
    where quarantine_rule is null

),

prices as (

    select * from {{ ref('int_sku_prices') }}

),

erp_items as (

    select
        codes.master_sku,
        min(codes.master_family) as master_family,
        string_agg(items.erp_item, ', ' order by items.erp_item) as erp_items,
        min(items.description) as description,
        min(items.uom) as uom,
        min(items.units_per_uom) as units_per_uom,
        cast(avg(items.std_cost) as decimal(20, 6)) as std_cost,
        min(items.currency) as currency,
        max(items.lead_time_days) as lead_time_days,
        case
            when bool_or(items.status = 'active') then 'active'
            when bool_or(items.status = 'new') then 'new'
            else 'eol'
        end as status

    from codes
    inner join items on codes.source_code = items.erp_item
    where codes.source_system = 'erp' and codes.master_sku is not null
    group by codes.master_sku

),

families as (

    select
        master_sku,
        min(master_family) as master_family

    from codes
    where master_sku is not null
    group by master_sku

),

crm_codes as (

    select
        master_sku,
        string_agg(source_code, ', ' order by source_code) as crm_product_codes

    from codes
    where source_system = 'crm' and master_sku is not null
    group by master_sku

),

skus as (

    select
        masters.master_sku,
        coalesce(families.master_family, masters.master_family) as master_family,
        erp_items.description,
        erp_items.erp_items,
        crm_codes.crm_product_codes,
        erp_items.uom,
        erp_items.units_per_uom,
        erp_items.std_cost,
        erp_items.currency,
        erp_items.lead_time_days,
        erp_items.status,
        round(prices.unit_price, 4) as unit_price,
        prices.price_basis

    from masters
    left join erp_items on masters.master_sku = erp_items.master_sku
    left join families on masters.master_sku = families.master_sku
    left join crm_codes on masters.master_sku = crm_codes.master_sku
    left join prices on masters.master_sku = prices.master_sku

)

select * from skus
