{#- A family's miss of the published baseline, per published cycle, lag, master family and
    closed period (from int_plan_miss_inputs): the family's plan and requested demand, and
    the same summed over the trailing window of var miss_window_periods (default 3)
    consecutive periods at the same lag (window_span: how many periods the window really
    spans, less at the start of the archive). is_judged_on_window: at least half of the
    family's SKUs in the cycle's published plan are intermittent or lumpy, so its misses
    are judged on cumulative demand over the window; period by period they are mostly the
    timing of a few orders. Read by int_plan_miss_residuals and int_plan_miss_bands. -#}
with

inputs as (

    select * from {{ ref('int_plan_miss_inputs') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

family_rows as (

    select
        inputs.cycle,
        inputs.lag,
        inputs.master_family,
        inputs.period_id,
        any_value(periods.period_seq) as period_seq,
        any_value(cycle_periods.period_seq) as cycle_seq,
        cast(sum(inputs.plan_units) as double) as family_plan_units,
        cast(sum(inputs.requested_units) as double) as family_requested_units,
        avg(case when inputs.demand_class in ('intermittent', 'lumpy') then 1.0 else 0.0 end) as intermittent_share

    from inputs
    inner join periods on inputs.period_id = periods.period_id
    inner join periods as cycle_periods on inputs.cycle = cycle_periods.period_id
    group by inputs.cycle, inputs.lag, inputs.master_family, inputs.period_id

),

cycle_families as (

    select
        cycle,
        master_family,
        avg(intermittent_share) >= 0.5 as is_judged_on_window

    from family_rows
    group by cycle, master_family

),

windows as (

    select
        family_rows.cycle,
        family_rows.lag,
        family_rows.master_family,
        family_rows.period_id,
        sum(earlier.family_requested_units) as window_requested_units,
        sum(earlier.family_plan_units) as window_plan_units,
        family_rows.period_seq - min(earlier.period_seq) + 1 as window_span

    from family_rows
    inner join family_rows as earlier
        on family_rows.lag = earlier.lag
            and family_rows.master_family = earlier.master_family
            and family_rows.period_seq >= earlier.period_seq
            and family_rows.period_seq - {{ var('miss_window_periods') }} < earlier.period_seq
    group by family_rows.cycle, family_rows.lag, family_rows.master_family, family_rows.period_id, family_rows.period_seq

),

final as (

    select
        family_rows.*,
        cycle_families.is_judged_on_window,
        windows.window_requested_units,
        windows.window_plan_units,
        windows.window_span

    from family_rows
    inner join cycle_families
        on family_rows.cycle = cycle_families.cycle
            and family_rows.master_family = cycle_families.master_family
    inner join windows
        on family_rows.cycle = windows.cycle
            and family_rows.lag = windows.lag
            and family_rows.master_family = windows.master_family
            and family_rows.period_id = windows.period_id

)

select * from final
