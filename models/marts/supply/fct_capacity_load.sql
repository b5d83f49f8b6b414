{#- Capacity against the plan, per resource and horizon period of the cycle: the hours the
    consensus plan needs (units x routing hours per unit, erp/routings) against the hours
    available (erp/capacity), utilization, and the overload named with the families and
    SKUs that drive it (largest required hours first). Overloaded when utilization exceeds
    var capacity_utilization_limit (default 1.0). The supply-constrained plan is in
    fct_constrained_plan. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

routings as (

    select * from {{ ref('int_routings_by_master_sku') }}

),

capacity as (

    select * from {{ ref('int_capacity_by_resource_period') }}

),

resources as (

    select * from {{ ref('int_resources_checked') }}
    where quarantine_rule is null

),

sku_load as (

    select
        routings.resource_id,
        plan.period_id,
        plan.period_start,
        plan.horizon_step,
        plan.master_sku,
        plan.master_family,
        plan.consensus_units * routings.hours_per_unit as required_hours

    from plan
    inner join routings on plan.master_sku = routings.master_sku

),

ranked as (

    select
        *,
        row_number() over (partition by resource_id, period_id order by required_hours desc, master_sku asc) as sku_rank

    from sku_load

),

family_load as (

    select
        resource_id,
        period_id,
        master_family,
        sum(required_hours) as family_hours

    from sku_load
    group by resource_id, period_id, master_family

),

load as (

    select
        resource_id,
        period_id,
        any_value(period_start) as period_start,
        any_value(horizon_step) as horizon_step,
        sum(required_hours) as required_hours,
        count(distinct master_sku) as n_skus,
        string_agg(master_sku, ', ' order by sku_rank) filter (where sku_rank <= 5) as top_skus

    from ranked
    group by resource_id, period_id

),

families as (

    select
        resource_id,
        period_id,
        string_agg(
            master_family || ' ' || cast(round(family_hours) as bigint) || ' h', ', ' order by family_hours desc
        ) as families

    from family_load
    group by resource_id, period_id

),

final as (

    select
        cycle.cycle,
        load.resource_id,
        resources.description as resource_description,
        load.period_id,
        load.period_start,
        load.horizon_step,
        cast(load.required_hours as double) as required_hours,
        capacity.available_hours,
        cast(load.required_hours / nullif(capacity.available_hours, 0) as double) as utilization,
        coalesce(load.required_hours > {{ var('capacity_utilization_limit') }} * capacity.available_hours, false)
            as is_overloaded,
        cast(greatest(load.required_hours - capacity.available_hours, 0) as double) as overload_hours,
        load.n_skus,
        families.families as driving_families,
        load.top_skus as driving_skus,
        case when capacity.available_hours is null then 'no_capacity_data' else 'covered' end as capacity_status

    from load
    cross join cycle
    left join capacity
        on load.resource_id = capacity.resource_id
            and load.period_id = capacity.period_id
    left join resources on load.resource_id = resources.resource_id
    left join families
        on load.resource_id = families.resource_id
            and load.period_id = families.period_id

)

select * from final
