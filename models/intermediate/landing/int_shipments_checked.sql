{#- Shipment lines with their master SKU, quantity in eaches and planning period, and the
    first row-level rule each breaks. Two rules find extract errors rather than bad values:
    `duplicate_line` (the same order, customer, item, date and quantity posted again under
    another line number of the same shipment: the first line is used) and `uom_mismatch`
    (a case-managed item whose line quantity equals the order's quantity in eaches, i.e. the
    line was keyed in eaches). -#}
with

shipments as (

    select * from {{ ref('stg_erp__shipments') }}

),

items as (

    select * from {{ ref('int_items_checked') }}
    where quarantine_rule is null

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp'

),

customers as (

    select * from {{ ref('int_customers_checked') }}
    where quarantine_rule is null

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

order_quantities as (

    select
        order_id,
        master_sku,
        sum(quantity_eaches) as ordered_eaches

    from orders
    group by order_id, master_sku

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

checked as (

    select
        shipments.*,
        codes.master_sku,
        codes.master_family,
        items.uom,
        items.units_per_uom,
        shipments.quantity_uom * items.units_per_uom as quantity_eaches,
        calendar_days.period_id as ship_period_id,
        calendar_days.fiscal_year as ship_fiscal_year,
        calendar_days.fiscal_period as ship_fiscal_period,
        order_quantities.ordered_eaches,
        {{ quarantine_rule(key_rules(['shipments.shipment_id', 'shipments.line_no']) + [
            ['shipments.erp_item is null or shipments.ship_date is null or shipments.quantity_uom is null', 'missing_value'],
        ] + code_rules('codes', known_only=true) + [
            ['items.erp_item is null', 'unknown_item'],
            ['customers.customer_id is null and exists (select 1 from customers)', 'unknown_customer'],
            ['shipments.quantity_uom <= 0', 'non_positive_quantity'],
            ['shipments.ship_date > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['calendar_days.calendar_date is null', 'date_outside_calendar'],
            ["row_number() over (partition by shipments.shipment_id, coalesce(shipments.order_id, ''), shipments.customer_id, shipments.erp_item, shipments.ship_date, shipments.quantity_uom order by shipments.line_no, shipments._landing_row) > 1", 'duplicate_line'],
            ["items.uom = 'CS' and items.units_per_uom > 1 and shipments.quantity_uom = order_quantities.ordered_eaches", 'uom_mismatch'],
        ]) }} as quarantine_rule

    from shipments
    cross join landing_as_of
    left join items on shipments.erp_item = items.erp_item
    left join codes on shipments.erp_item = codes.source_code
    left join customers on shipments.customer_id = customers.customer_id
    left join calendar_days on shipments.ship_date = calendar_days.calendar_date
    left join order_quantities
        on shipments.order_id = order_quantities.order_id
            and codes.master_sku = order_quantities.master_sku

)

select * from checked
