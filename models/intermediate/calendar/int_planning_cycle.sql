{#- The planning cycle this build is for: one row. The var `cycle` (a planning period id,
    YYYY-MM) sets it; by default it is the period after the last one with shipped demand (shipments, or CRM lines marked shipped). The
    as-of date is the first day of the cycle's period: every period that ends before it is
    closed (history), the cycle's period and later ones are the plan horizon. -#}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

latest_activity as (

    select max(activity_date) as latest_date
    from (
        select requested_date as activity_date
        from {{ ref('int_orders_checked') }}
        where quarantine_rule is null and status = 'shipped'
        union all
        select ship_date
        from {{ ref('int_shipments_checked') }}
        where quarantine_rule is null
    ) as activity

),

chosen as (

    select
        periods.period_id as cycle,
        periods.period_seq as cycle_period_seq,
        periods.period_start as as_of_date

    from periods
    cross join latest_activity
    where
        {% if var('cycle', none) is not none -%}
            periods.period_id = {{ sql_literal(var('cycle')) }}
        {%- else -%}
            periods.period_seq = (
                select inner_periods.period_seq + 1
                from periods as inner_periods
                where latest_activity.latest_date between inner_periods.period_start and inner_periods.period_end
            )
        {%- endif %}

),

with_last_closed as (

    select
        chosen.cycle,
        chosen.cycle_period_seq,
        chosen.as_of_date,
        previous.period_id as last_closed_period_id

    from chosen
    left join periods as previous on chosen.cycle_period_seq - 1 = previous.period_seq

)

select * from with_last_closed
