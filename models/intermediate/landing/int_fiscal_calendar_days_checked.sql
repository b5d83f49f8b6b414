with

calendar_days as (

    select * from {{ ref('stg_master__fiscal_calendar_days') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['calendar_date']) + [
            ['fiscal_year is null or fiscal_period is null', 'missing_value'],
            ['fiscal_period not between 1 and 12', 'invalid_fiscal_period'],
            ['fiscal_week not between 1 and 53', 'invalid_fiscal_week'],
        ]) }} as quarantine_rule

    from calendar_days

)

select * from checked
