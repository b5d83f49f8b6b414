{#- The planning cycle this build is for: one row. The var `cycle` or else the environment
    variable SOP_CYCLE (a planning period id, YYYY-MM; macro planning_cycle_setting) sets
    it; by default it is the period after the last closed one. A period is closed when it
    ends on or before the data's as-of date, the last date of actual demand in the landing
    (int_landing_as_of_date): data that ends mid-period leaves that period open, and it is
    the cycle. `as_of_date` is the first day of the cycle's period: every period that ends
    before it is closed (history), the cycle's period and later ones are the plan horizon. -#}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

last_closed as (

    select max(periods.period_seq) as period_seq
    from periods
    cross join landing_as_of
    where periods.period_end <= landing_as_of.data_as_of_date

),

chosen as (

    select
        periods.period_id as cycle,
        periods.period_seq as cycle_period_seq,
        periods.period_start as as_of_date

    from periods
    cross join last_closed
    where
        {% if planning_cycle_setting() is not none -%}
            periods.period_id = {{ sql_literal(planning_cycle_setting()) }}
        {%- else -%}
            periods.period_seq = last_closed.period_seq + 1
        {%- endif %}

),

with_last_closed as (

    select
        chosen.cycle,
        chosen.cycle_period_seq,
        chosen.as_of_date,
        previous.period_id as last_closed_period_id,
        landing_as_of.data_as_of_date

    from chosen
    cross join landing_as_of
    left join periods as previous on chosen.cycle_period_seq - 1 = previous.period_seq

)

select * from with_last_closed
