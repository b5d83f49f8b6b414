{#- The planning calendar: one row per planning period, with its dates, length and, for
    the build's cycle, whether it is closed (history) or open (plan horizon). -#}
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
    periods.period_end < cycle.as_of_date as is_closed,
    cycle.cycle

from periods
cross join cycle
