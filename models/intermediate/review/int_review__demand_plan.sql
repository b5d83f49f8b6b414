{#- The review page's demand_plan section: per family, the consensus plan for the cycle's
    first three periods (rpt_family_demand_plan) against the previous cycle's plan for the
    same periods, the budget, and sales' and operations' latest numbers for those periods
    (int_forecasts_by_lag is past cycles only, so the comparison uses the same
    three-numbers model Week 0 reads, rpt_three_numbers). -#}
with

family_plan as (

    select * from {{ ref('rpt_family_demand_plan') }}
    where row_kind = 'plan' and horizon_step <= 3

),

three_numbers as (

    select * from {{ ref('rpt_three_numbers') }}

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

)

select * from demand_plan
