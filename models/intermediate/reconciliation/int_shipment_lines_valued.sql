{#- Every landed shipment line that can be placed on a master SKU and a date, valued at the
    net price of the CRM order line it fulfils (same order, same master SKU), else at the
    price of the order's unmapped line (its code is unknown to the dictionary, the price is
    not), else at the SKU's price. Value is rounded to cents per line, as the GL posts it.
    Of the quarantined lines only duplicates (`duplicate_key`, `duplicate_line`) and
    unit-of-measure errors (`uom_mismatch`) are kept: this is ERP's number as ERP reports
    it, and the quarantine rule is the evidence of why it is off. No other quarantined row
    (missing key or value, unknown item, beyond the horizon...) feeds any figure. -#}
with

shipments as (

    select * from {{ ref('int_shipments_checked') }}
    where
        master_sku is not null and ship_period_id is not null
        and (quarantine_rule is null or quarantine_rule in ('duplicate_key', 'duplicate_line', 'uom_mismatch'))

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where status != 'cancelled' and (quarantine_rule is null or quarantine_rule = 'unmapped_code')

),

order_sku_prices as (

    select
        order_id,
        master_sku,
        sum(quantity_eaches * unit_price) / nullif(sum(quantity_eaches), 0) as unit_price

    from orders
    where master_sku is not null
    group by order_id, master_sku

),

order_unmapped_prices as (

    select
        order_id,
        min(unit_price) as unit_price,
        min(crm_product_code) as crm_product_code

    from orders
    where master_sku is null
    group by order_id

),

sku_prices as (

    select * from {{ ref('int_sku_prices') }}

),

valued as (

    select
        shipments.shipment_id,
        shipments.line_no,
        shipments._landing_row,
        shipments.order_id,
        shipments.erp_item,
        shipments.master_sku,
        shipments.master_family,
        shipments.ship_date,
        shipments.ship_period_id,
        shipments.ship_fiscal_year,
        shipments.ship_fiscal_period,
        shipments.quantity_eaches,
        shipments.ordered_eaches,
        shipments.quarantine_rule,
        order_sku_prices.order_id is null and order_unmapped_prices.order_id is not null as fulfils_unmapped_code,
        order_unmapped_prices.crm_product_code as unmapped_crm_product_code,
        cast(coalesce(order_sku_prices.unit_price, order_unmapped_prices.unit_price, sku_prices.unit_price) as double) as unit_price,
        round(cast(
            shipments.quantity_eaches
            * coalesce(order_sku_prices.unit_price, order_unmapped_prices.unit_price, sku_prices.unit_price)
            as decimal(20, 6)
        ), 2) as shipped_value

    from shipments
    left join order_sku_prices
        on shipments.order_id = order_sku_prices.order_id
            and shipments.master_sku = order_sku_prices.master_sku
    left join order_unmapped_prices on shipments.order_id = order_unmapped_prices.order_id
    left join sku_prices on shipments.master_sku = sku_prices.master_sku

)

select * from valued
