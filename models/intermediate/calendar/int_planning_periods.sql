with

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

periods as (

    select
        period_id,
        period_seq,
        min(period_start) as period_start,
        max(period_end) as period_end,
        count(*) as n_days,
        min(fiscal_year) as fiscal_year,
        min(fiscal_period) as fiscal_period

    from calendar_days
    group by period_id, period_seq

)

select * from periods
