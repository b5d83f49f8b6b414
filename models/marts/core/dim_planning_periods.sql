{#- The planning calendar: one row per planning period, with its dates, length, fiscal
    year and quarter labels (a quarter is a quarter of the fiscal year's periods: periods
    1-3 of 12 are Q1) and, for the build's cycle, whether it is closed (history) or open
    (plan horizon). -#}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

)

select
    periods.period_id,
    periods.period_seq,
    periods.period_start,
    periods.period_end,
    periods.n_days,
    periods.fiscal_year,
    periods.fiscal_period,
    cast(ceil(periods.fiscal_period * 4.0 / max(periods.fiscal_period) over ()) as integer) as fiscal_quarter,
    'FY' || periods.fiscal_year as fiscal_year_label,
    'FY' || periods.fiscal_year || ' Q' || cast(ceil(periods.fiscal_period * 4.0 / max(periods.fiscal_period) over ()) as integer)
        as fiscal_quarter_label,
    periods.period_end < cycle.as_of_date as is_closed,
    cycle.cycle

from periods
cross join cycle
