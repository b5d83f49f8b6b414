with

decisions as (

    select * from {{ ref('stg_plan__decisions') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['proposal_id', 'decided_at']) + [
            ["decision not in ('accept', 'reject', 'modify')", 'unknown_decision'],
            ["decision = 'modify' and adjusted_quantity is null", 'missing_value'],
            ['adjusted_quantity < 0', 'negative_quantity'],
        ]) }} as quarantine_rule

    from decisions

)

select * from checked
