{#- The planner's decision history: every decision on a proposal that landed in
    plan/decisions (used rows; quarantined ones are in fct_landing_quarantine), with the
    proposal it answers, whether it is the latest for that proposal (the one that counts),
    the cycle whose consensus plan it changes, and, once that cycle's periods have closed,
    whether it added value: the absolute error of the statistical baseline minus that of
    the plan the decision led to, over the next cycle's lags 1..3 (positive = the decision
    made the plan better). For an accepted or modified proposal the plan it led to is the
    adjusted one; for a rejected proposal it is the baseline, and the value is measured
    against what the proposal would have given (negative = rejecting a good proposal cost
    accuracy). -#}
with

decisions as (

    select * from {{ ref('int_decisions_checked') }}
    where quarantine_rule is null

),

proposals as (

    select * from {{ ref('fct_plan_proposals') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

errors as (

    select * from {{ ref('fct_forecast_errors') }}
    where evaluation = 'published' and number_source = 'statistical_baseline'

),

history as (

    select
        decisions.proposal_id,
        decisions.decision,
        decisions.adjusted_quantity,
        decisions.rationale,
        decisions.decided_by,
        decisions.decided_at,
        row_number() over (partition by decisions.proposal_id order by decisions.decided_at desc) = 1 as is_latest

    from decisions

),

with_proposals as (

    select
        history.*,
        proposals.cycle as proposal_cycle,
        proposals.master_sku,
        proposals.master_family,
        proposals.baseline_level_units,
        proposals.proposed_level_units,
        next_periods.period_id as applies_to_cycle,
        {{ decision_factor(
            'history.decision', 'history.adjusted_quantity',
            'proposals.baseline_level_units', 'proposals.proposed_level_units'
        ) }} as decision_factor,
        proposals.proposed_level_units / proposals.baseline_level_units as proposed_factor

    from history
    inner join proposals on history.proposal_id = proposals.proposal_id
    inner join periods as proposal_periods on proposals.cycle = proposal_periods.period_id
    inner join periods as next_periods on proposal_periods.period_seq + 1 = next_periods.period_seq

),

scored as (

    select
        with_proposals.proposal_id,
        with_proposals.decided_at,
        count(errors.period_id) as n_periods_scored,
        sum(errors.abs_error_units) as baseline_abs_error,
        sum(abs(errors.forecast_units * with_proposals.decision_factor - errors.actual_units)) as decision_abs_error,
        sum(abs(errors.forecast_units * with_proposals.proposed_factor - errors.actual_units)) as proposed_abs_error

    from with_proposals
    inner join errors
        on with_proposals.master_sku = errors.master_sku
            and with_proposals.applies_to_cycle = errors.cycle
    group by with_proposals.proposal_id, with_proposals.decided_at

),

final as (

    select
        with_proposals.proposal_id,
        with_proposals.proposal_cycle,
        with_proposals.master_sku,
        with_proposals.master_family,
        with_proposals.decision,
        with_proposals.adjusted_quantity,
        with_proposals.rationale,
        with_proposals.decided_by,
        with_proposals.decided_at,
        with_proposals.is_latest,
        with_proposals.applies_to_cycle,
        cast(with_proposals.decision_factor as double) as decision_factor,
        coalesce(scored.n_periods_scored, 0) as n_periods_scored,
        cast(scored.baseline_abs_error as double) as baseline_abs_error_units,
        cast(scored.decision_abs_error as double) as decision_abs_error_units,
        cast(scored.proposed_abs_error as double) as proposed_abs_error_units,
        cast(case
            when with_proposals.decision = 'reject' then scored.proposed_abs_error - scored.baseline_abs_error
            else scored.baseline_abs_error - scored.decision_abs_error
        end as double) as value_added_units

    from with_proposals
    left join scored
        on with_proposals.proposal_id = scored.proposal_id
            and with_proposals.decided_at = scored.decided_at

)

select * from final
