with

forecasts as (

    select * from {{ ref('stg_crm__sales_forecasts') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'crm'

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
        {{ quarantine_rule(key_rules(['forecasts.crm_product_code', 'forecasts.period_start', 'forecasts.submitted_at']) + [
            ['forecasts.quantity_eaches is null', 'missing_value'],
        ] + code_rules('codes') + [
            ['forecasts.quantity_eaches < 0', 'negative_quantity'],
            ['day(forecasts.period_start) != 1', 'period_not_month_start'],
            ['forecasts.period_start > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['calendar_days.calendar_date is null', 'date_outside_calendar'],
        ]) }} as quarantine_rule

    from forecasts
    cross join landing_as_of
    left join codes on forecasts.crm_product_code = codes.source_code
    left join calendar_days on forecasts.period_start = calendar_days.calendar_date

)

select * from checked
