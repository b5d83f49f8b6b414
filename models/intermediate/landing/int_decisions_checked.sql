{#- Planner decisions on proposals (plan/decisions). A decision must answer a proposal the
    pipeline raised (fct_plan_proposals, the archive of every cycle's proposals): one that
    does not is quarantined as `unknown_proposal`. -#}
with

decisions as (

    select * from {{ ref('stg_plan__decisions') }}

),

proposals as (

    select * from {{ ref('fct_plan_proposals') }}

),

checked as (

    select
        decisions.*,
        {{ quarantine_rule(key_rules(['decisions.proposal_id', 'decisions.decided_at']) + [
            ["decisions.decision not in ('accept', 'reject', 'modify')", 'unknown_decision'],
            ["decisions.decision = 'modify' and decisions.adjusted_quantity is null", 'missing_value'],
            ['decisions.adjusted_quantity < 0', 'negative_quantity'],
            ['proposals.proposal_id is null', 'unknown_proposal'],
        ]) }} as quarantine_rule

    from decisions
    left join proposals on decisions.proposal_id = proposals.proposal_id

)

select * from checked
