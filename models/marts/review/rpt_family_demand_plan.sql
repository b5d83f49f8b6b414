{#- Demand history and plan per family, the pack's demand charts: the last
    `review_history_periods` (24) closed periods of demand (the history forecasting reads),
    then the horizon's statistical baseline, consensus plan and the previous cycle's
    consensus for the same periods, with the family's 80% and 95% intervals.

    A family's interval comes from its SKUs' intervals (fct_consensus_plan, scaled with the
    consensus): each side's half-width is the root of the sum of the SKUs' squared
    half-widths on that side, as if SKU errors were independent; the lower bound stops at
    zero. A shift common to the whole family (a level shift, a lost customer) is not
    independent, so the family's real spread can be wider than this band. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

previous as (

    select * from {{ ref('int_previous_cycle_consensus') }}

),

history_rows as (

    select
        history.master_family,
        history.period_id,
        'history' as row_kind,
        cast(null as integer) as horizon_step,
        sum(history.demand_units) as demand_units,
        cast(null as double) as baseline_units,
        cast(null as double) as consensus_units,
        cast(null as double) as previous_cycle_units,
        cast(null as double) as lower_80_half_width,
        cast(null as double) as upper_80_half_width,
        cast(null as double) as lower_95_half_width,
        cast(null as double) as upper_95_half_width

    from history
    cross join cycle
    where history.period_seq >= cycle.cycle_period_seq - {{ var('review_history_periods') }}
    group by history.master_family, history.period_id

),

previous_plan as (

    select
        previous.master_family,
        previous.period_id,
        sum(previous.consensus_units) as previous_cycle_units

    from previous
    group by previous.master_family, previous.period_id

),

plan_rows as (

    select
        plan.master_family,
        plan.period_id,
        'plan' as row_kind,
        any_value(plan.horizon_step) as horizon_step,
        cast(null as double) as demand_units,
        sum(plan.baseline_units) as baseline_units,
        sum(plan.consensus_units) as consensus_units,
        cast(null as double) as previous_cycle_units,
        sqrt(sum(power(plan.consensus_units - plan.lo_80, 2))) as lower_80_half_width,
        sqrt(sum(power(plan.hi_80 - plan.consensus_units, 2))) as upper_80_half_width,
        sqrt(sum(power(plan.consensus_units - plan.lo_95, 2))) as lower_95_half_width,
        sqrt(sum(power(plan.hi_95 - plan.consensus_units, 2))) as upper_95_half_width

    from plan
    group by plan.master_family, plan.period_id

),

family_periods as (

    select * from history_rows
    union all
    select * from plan_rows

),

final as (

    select
        cycle.cycle,
        family_periods.master_family,
        family_periods.period_id,
        periods.period_start,
        family_periods.row_kind,
        family_periods.horizon_step,
        cast(family_periods.demand_units as double) as demand_units,
        cast(family_periods.baseline_units as double) as baseline_units,
        cast(family_periods.consensus_units as double) as consensus_units,
        cast(previous_plan.previous_cycle_units as double) as previous_cycle_units,
        cast(
            case
                when family_periods.row_kind = 'plan'
                    then greatest(family_periods.consensus_units - family_periods.lower_80_half_width, 0)
            end as double
        ) as lo_80,
        cast(family_periods.consensus_units + family_periods.upper_80_half_width as double) as hi_80,
        cast(
            case
                when family_periods.row_kind = 'plan'
                    then greatest(family_periods.consensus_units - family_periods.lower_95_half_width, 0)
            end as double
        ) as lo_95,
        cast(family_periods.consensus_units + family_periods.upper_95_half_width as double) as hi_95

    from family_periods
    cross join cycle
    inner join periods on family_periods.period_id = periods.period_id
    left join previous_plan
        on family_periods.row_kind = 'plan'
            and family_periods.master_family = previous_plan.master_family
            and family_periods.period_id = previous_plan.period_id

)

select * from final
