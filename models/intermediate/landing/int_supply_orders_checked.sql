with

supply as (

    select * from {{ ref('stg_erp__supply_orders') }}

),

items as (

    select * from {{ ref('int_items_checked') }}
    where quarantine_rule is null

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp'

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

checked as (

    select
        supply.*,
        codes.master_sku,
        supply.quantity_uom * items.units_per_uom as quantity_eaches,
        {{ quarantine_rule(key_rules(['supply.supply_id']) + [
            ['supply.erp_item is null or supply.due_date is null or supply.quantity_uom is null or supply.status is null', 'missing_value'],
            ["supply.status = 'received' and supply.received_date is null", 'missing_value'],
        ] + code_rules('codes', known_only=true) + [
            ['items.erp_item is null', 'unknown_item'],
            ["supply.supply_type not in ('po', 'wo')", 'unknown_supply_type'],
            ["supply.status not in ('open', 'received', 'cancelled')", 'unknown_status'],
            ['supply.quantity_uom <= 0', 'non_positive_quantity'],
            ['supply.due_date > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['calendar_days.calendar_date is null', 'date_outside_calendar'],
        ]) }} as quarantine_rule

    from supply
    cross join landing_as_of
    left join items on supply.erp_item = items.erp_item
    left join codes on supply.erp_item = codes.source_code
    left join calendar_days on supply.due_date = calendar_days.calendar_date

)

select * from checked
