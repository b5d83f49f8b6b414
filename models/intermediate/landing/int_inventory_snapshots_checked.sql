with

snapshots as (

    select * from {{ ref('stg_erp__inventory_snapshots') }}

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
        snapshots.*,
        codes.master_sku,
        snapshots.on_hand_uom * items.units_per_uom as on_hand_eaches,
        {{ quarantine_rule(key_rules(['snapshots.snapshot_date', 'snapshots.erp_item', 'snapshots.warehouse']) + [
            ['snapshots.on_hand_uom is null', 'missing_value'],
        ] + code_rules('codes', known_only=true) + [
            ['items.erp_item is null', 'unknown_item'],
            ['snapshots.on_hand_uom < 0', 'negative_quantity'],
            ['snapshots.snapshot_date > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['calendar_days.calendar_date is null', 'date_outside_calendar'],
        ]) }} as quarantine_rule

    from snapshots
    cross join landing_as_of
    left join items on snapshots.erp_item = items.erp_item
    left join codes on snapshots.erp_item = codes.source_code
    left join calendar_days on snapshots.snapshot_date = calendar_days.calendar_date

)

select * from checked
