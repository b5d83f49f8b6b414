{#- Every date with its fiscal year, period and week and its planning period: the calendar a
    BI tool joins to, and the semantic layer's time spine (metric_time). The planning period
    is a custom granularity there (`metric_time__planning_period`, valued by the period's
    first day), so a metric can be read per 4-4-5 period, not only per calendar month. -#}
with

days as (

    select * from {{ ref('int_calendar_days') }}

)

select
    days.calendar_date as date_day,
    days.fiscal_year,
    days.fiscal_period,
    days.fiscal_week,
    days.period_id,
    days.period_start as planning_period_start,
    days.calendar_source

from days
