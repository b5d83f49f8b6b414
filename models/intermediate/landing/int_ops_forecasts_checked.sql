with

forecasts as (

    select * from {{ ref('stg_erp__ops_forecasts') }}

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
        forecasts.*,
        codes.master_sku,
        codes.master_family,
        forecasts.quantity_uom * items.units_per_uom as quantity_eaches,
        {{ quarantine_rule(key_rules(['forecasts.erp_item', 'forecasts.period_start', 'forecasts.submitted_at']) + [
            ['forecasts.quantity_uom is null', 'missing_value'],
        ] + code_rules('codes', known_only=true) + [
            ['items.erp_item is null', 'unknown_item'],
            ['forecasts.quantity_uom < 0', 'negative_quantity'],
            ['day(forecasts.period_start) != 1', 'period_not_month_start'],
            ['forecasts.period_start > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['calendar_days.calendar_date is null', 'date_outside_calendar'],
        ]) }} as quarantine_rule

    from forecasts
    cross join landing_as_of
    left join items on forecasts.erp_item = items.erp_item
    left join codes on forecasts.erp_item = codes.source_code
    left join calendar_days on forecasts.period_start = calendar_days.calendar_date

)

select * from checked
