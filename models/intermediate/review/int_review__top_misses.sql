{#- The review page's top_misses section: the five largest root causes of the last closed
    period at lag 1 (fct_plan_miss_root_causes), by size. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

root_causes as (

    select * from {{ ref('fct_plan_miss_root_causes') }}

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

)

select * from top_misses
