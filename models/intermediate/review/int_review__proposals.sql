{#- The review page's proposals section: the number of proposals raised this cycle
    (fct_plan_proposals), and last cycle's decisions on theirs by decision
    (fct_plan_decisions, the latest decision of each). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

proposals as (

    select * from {{ ref('fct_plan_proposals') }}

),

decisions as (

    select * from {{ ref('fct_plan_decisions') }}

),

proposal_rows as (

    select
        'proposals' as section,
        'raised this cycle' as subject,
        'proposals' as metric,
        cast(count(*) as double) as value,
        'count' as unit,
        'to decide in plan/decisions' as detail

    from proposals
    cross join cycle
    where proposals.cycle = cycle.cycle

    union all

    select
        'proposals',
        'decided last cycle: ' || decisions.decision,
        'decisions',
        cast(count(*) as double),
        'count',
        'applied to this cycle''s consensus plan when accept or modify'

    from decisions
    cross join cycle
    where decisions.is_latest and decisions.applies_to_cycle = cycle.cycle
    group by decisions.decision

)

select * from proposal_rows
