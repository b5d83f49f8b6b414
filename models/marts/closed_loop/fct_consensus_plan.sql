{#- The consensus plan of this build's cycle: the statistical baseline (fct_demand_forecast)
    with the planner's decisions applied. A proposal raised in the previous cycle
    (fct_plan_proposals) whose latest decision before the cycle's as-of date is `accept`
    scales the SKU's baseline by proposed / baseline level; `modify` by the planner's
    adjusted_quantity (units per period) / baseline level, capped at what the evidence
    supports: between 1 (the baseline) and the proposal's own factor, never beyond it and
    never against it (is_decision_capped says where the cap bit); `reject`, or no decision,
    leaves the baseline. Intervals scale with the point forecast. A proposal changes one cycle's
    plan, the next; if the miss goes on, a new proposal is raised. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

baseline as (

    select * from {{ ref('fct_demand_forecast') }}

),

proposals as (

    select * from {{ ref('fct_plan_proposals') }}

),

decisions as (

    select * from {{ ref('int_decisions_checked') }}
    where quarantine_rule is null

),

previous_proposals as (

    select proposals.*
    from proposals
    cross join cycle
    inner join periods on proposals.cycle = periods.period_id
    where periods.period_seq = cycle.cycle_period_seq - 1

),

latest_decisions as (

    select decisions.*
    from decisions
    cross join cycle
    where decisions.decided_at < cycle.as_of_date
    qualify row_number() over (partition by decisions.proposal_id order by decisions.decided_at desc) = 1

),

adjustments as (

    select
        previous_proposals.master_sku,
        previous_proposals.proposal_id,
        latest_decisions.decision,
        {{ decision_factor(
            'latest_decisions.decision', 'latest_decisions.adjusted_quantity',
            'previous_proposals.baseline_level_units', 'previous_proposals.proposed_level_units'
        ) }} as factor,
        coalesce(
            latest_decisions.decision = 'modify'
            and abs(
                latest_decisions.adjusted_quantity / previous_proposals.baseline_level_units
                - {{ decision_factor(
                    'latest_decisions.decision', 'latest_decisions.adjusted_quantity',
                    'previous_proposals.baseline_level_units', 'previous_proposals.proposed_level_units'
                ) }}
            ) > 1e-9,
            false
        ) as is_decision_capped

    from previous_proposals
    inner join latest_decisions on previous_proposals.proposal_id = latest_decisions.proposal_id

),

final as (

    select
        baseline.cycle,
        baseline.master_sku,
        baseline.master_family,
        baseline.period_id,
        baseline.period_start,
        baseline.horizon_step,
        baseline.forecast_units as baseline_units,
        round(baseline.forecast_units * coalesce(adjustments.factor, 1.0), 4) as consensus_units,
        round(baseline.forecast_units * coalesce(adjustments.factor, 1.0), 4) - baseline.forecast_units
            as adjustment_units,
        round(baseline.lo_80 * coalesce(adjustments.factor, 1.0), 4) as lo_80,
        round(baseline.hi_80 * coalesce(adjustments.factor, 1.0), 4) as hi_80,
        round(baseline.lo_95 * coalesce(adjustments.factor, 1.0), 4) as lo_95,
        round(baseline.hi_95 * coalesce(adjustments.factor, 1.0), 4) as hi_95,
        cast(coalesce(adjustments.factor, 1.0) as double) as adjustment_factor,
        adjustments.proposal_id,
        adjustments.decision,
        coalesce(adjustments.is_decision_capped, false) as is_decision_capped

    from baseline
    left join adjustments on baseline.master_sku = adjustments.master_sku

)

select * from final
