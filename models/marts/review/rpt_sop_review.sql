{#- The one-page S&OP review of the cycle, in one long table a pack or a BI tool lays out:
    one row per section, rank and figure, every figure taken from a mart, none computed
    anew beyond sums and the differences shown.
    - demand_plan: per family, the consensus plan for the cycle's first three periods
      against the previous cycle's plan for the same periods (rpt_family_demand_plan), the
      budget, sales' and operations' latest numbers (int_forecasts_by_lag is past cycles only, so the
      comparison uses the same three-numbers model Week 0 reads, rpt_three_numbers);
    - accuracy: per family, lag-1 WAPE and bias of the consensus plan and of the statistical
      baseline over the published cycles (rpt_accuracy_by_number);
    - top_misses: the five largest root causes of the last closed period at lag 1
      (fct_plan_miss_root_causes);
    - proposals: proposals raised this cycle, and the decisions on last cycle's;
    - risks: the five largest open risks by money (rpt_risk_register);
    - finance: revenue, margin and cash impact summed over the horizon; inventory value at
      the end of the next period and of the horizon, and working capital at the end of the
      horizon (stocks, not sums) (fct_finance_plan);
    - decisions: open and overdue leadership decisions (fct_leadership_decisions). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

family_plan as (

    select * from {{ ref('rpt_family_demand_plan') }}
    where row_kind = 'plan' and horizon_step <= 3

),

three_numbers as (

    select * from {{ ref('rpt_three_numbers') }}

),

accuracy as (

    select * from {{ ref('rpt_accuracy_by_number') }}

),

root_causes as (

    select * from {{ ref('fct_plan_miss_root_causes') }}

),

proposals as (

    select * from {{ ref('fct_plan_proposals') }}

),

decisions as (

    select * from {{ ref('fct_plan_decisions') }}

),

risks as (

    select * from {{ ref('rpt_risk_register') }}

),

finance as (

    select * from {{ ref('fct_finance_plan') }}

),

leadership as (

    select * from {{ ref('fct_leadership_decisions') }}

),

near_periods as (

    select distinct family_plan.period_id
    from family_plan

),

functional as (

    select
        three_numbers.master_family,
        sum(three_numbers.sales_units) as sales_units,
        sum(three_numbers.operations_units) as operations_units,
        sum(three_numbers.finance_units) as finance_units

    from three_numbers
    inner join near_periods on three_numbers.period_id = near_periods.period_id
    group by three_numbers.master_family

),

plan_by_family as (

    select
        family_plan.master_family,
        sum(family_plan.consensus_units) as units,
        sum(family_plan.previous_cycle_units) as previous_units

    from family_plan
    group by family_plan.master_family

),

demand_plan as (

    select
        'demand_plan' as section,
        plan_by_family.master_family as subject,
        'consensus plan, next 3 periods' as metric,
        cast(plan_by_family.units as double) as value,
        'units' as unit,
        'vs previous cycle ' || coalesce(cast(round(plan_by_family.units - plan_by_family.previous_units) as varchar), 'n/a')
        || '; vs budget ' || coalesce(cast(round(plan_by_family.units - functional.finance_units) as varchar), 'n/a')
        || '; vs sales ' || coalesce(cast(round(plan_by_family.units - functional.sales_units) as varchar), 'n/a')
        || '; vs operations ' || coalesce(cast(round(plan_by_family.units - functional.operations_units) as varchar), 'n/a')
            as detail

    from plan_by_family
    left join functional on plan_by_family.master_family = functional.master_family

),

accuracy_rows as (

    select
        'accuracy' as section,
        accuracy.master_family as subject,
        'lag-1 WAPE, ' || accuracy.number_source as metric,
        accuracy.wape as value,
        'share' as unit,
        'bias ' || cast(round(100 * accuracy.bias_pct, 1) as varchar) || '%; netted '
        || cast(round(100 * accuracy.total_wape, 1) as varchar) || '%; over ' || accuracy.n_cycles || ' cycles'
            as detail

    from accuracy
    where accuracy.lag = 1 and accuracy.number_source in ('consensus', 'statistical_baseline')

),

top_misses as (

    select
        'top_misses' as section,
        root_causes.master_sku as subject,
        root_causes.root_cause as metric,
        cast(root_causes.root_cause_units as double) as value,
        'units' as unit,
        root_causes.assumption_broken as detail

    from root_causes
    cross join cycle
    where root_causes.lag = 1 and root_causes.period_id = cycle.last_closed_period_id
    qualify row_number() over (order by abs(root_causes.root_cause_units) desc, root_causes.master_sku) <= 5

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

),

risk_rows as (

    select
        'risks' as section,
        risks.risk_id as subject,
        risks.risk_type as metric,
        risks.size_money as value,
        'money' as unit,
        risks.owner_role || ': ' || risks.description as detail

    from risks
    where risks.status = 'open'
    qualify row_number() over (order by risks.size_money desc nulls last, risks.risk_id asc) <= 5

),

finance_rows as (

    select
        'finance' as section,
        '(all)' as subject,
        measure.metric,
        measure.value,
        'money' as unit,
        'over the horizon, ' || any_value(finance.currency_conversion) over () as detail

    from finance
    cross join lateral (
        values
        ('revenue', finance.revenue),
        ('margin', finance.margin),
        ('cash impact', finance.cash_impact)
    ) as measure (metric, value)

),

finance_totals as (

    select
        section,
        subject,
        metric,
        sum(value) as value,
        unit,
        any_value(detail) as detail

    from finance_rows
    group by section, subject, metric, unit

),

inventory_by_step as (

    select
        horizon_step,
        sum(inventory_value) as inventory_value,
        sum(working_capital) as working_capital,
        max(horizon_step) over () as last_step

    from finance
    group by horizon_step

),

inventory_rows as (

    select
        'finance' as section,
        '(all)' as subject,
        'inventory value, end of the next period' as metric,
        inventory_value as value
    from inventory_by_step
    where horizon_step = 1

    union all

    select
        'finance' as section,
        '(all)' as subject,
        'inventory value, end of the horizon' as metric,
        inventory_value as value
    from inventory_by_step
    where horizon_step = last_step

    union all

    select
        'finance' as section,
        '(all)' as subject,
        'working capital, end of the horizon' as metric,
        working_capital as value
    from inventory_by_step
    where horizon_step = last_step

),

inventory_figures as (

    select
        section,
        subject,
        metric,
        value,
        'money' as unit,
        'projected, at standard cost (fct_finance_plan; a stock: the period end, not a sum)' as detail

    from inventory_rows

),

decision_rows as (

    select
        'decisions' as section,
        leadership.decision_id as subject,
        leadership.decision as metric,
        cast(leadership.days_overdue as double) as value,
        'days overdue' as unit,
        leadership.owner || ', due ' || leadership.due_date || ': ' || leadership.topic as detail

    from leadership
    where leadership.is_overdue

),

all_rows as (

    select * from demand_plan
    union all
    select * from accuracy_rows
    union all
    select * from top_misses
    union all
    select * from proposal_rows
    union all
    select * from risk_rows
    union all
    select * from finance_totals
    union all
    select * from inventory_figures
    union all
    select * from decision_rows

),

final as (

    select
        cycle.cycle,
        all_rows.section,
        cast(row_number() over (
            partition by all_rows.section order by abs(all_rows.value) desc nulls last, all_rows.subject, all_rows.metric asc
        ) as bigint) as section_rank,
        all_rows.subject,
        all_rows.metric,
        all_rows.value,
        all_rows.unit,
        all_rows.detail

    from all_rows
    cross join cycle

)

select * from final
