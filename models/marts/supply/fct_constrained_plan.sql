{#- What can actually ship: per master SKU and horizon period, the consensus plan cut back
    where a resource it needs is overloaded. Each overloaded resource-period serves its SKUs
    pro rata (available / required hours); a SKU gets the tightest ratio over its resources.
    Demand at risk = plan - constrained, in units and in revenue at the SKU's price. -#}
with

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

routings as (

    select * from {{ ref('int_routings_by_master_sku') }}

),

load as (

    select * from {{ ref('fct_capacity_load') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

ratios as (

    select
        plan.master_sku,
        plan.period_id,
        min(least(1.0, coalesce(load.available_hours / nullif(load.required_hours, 0), 1.0))) as served_ratio,
        string_agg(load.resource_id, ', ' order by load.resource_id) filter (where load.is_overloaded)
            as binding_resources

    from plan
    inner join routings on plan.master_sku = routings.master_sku
    inner join load
        on routings.resource_id = load.resource_id
            and plan.period_id = load.period_id
    group by plan.master_sku, plan.period_id

),

final as (

    select
        plan.cycle,
        plan.master_sku,
        plan.master_family,
        plan.period_id,
        plan.period_start,
        plan.horizon_step,
        plan.consensus_units as plan_units,
        plan.consensus_units * coalesce(ratios.served_ratio, 1.0) as constrained_units,
        plan.consensus_units * (1 - coalesce(ratios.served_ratio, 1.0)) as at_risk_units,
        plan.consensus_units * (1 - coalesce(ratios.served_ratio, 1.0)) * coalesce(skus.unit_price, 0)
            as at_risk_revenue,
        ratios.binding_resources

    from plan
    left join ratios
        on plan.master_sku = ratios.master_sku
            and plan.period_id = ratios.period_id
    left join skus on plan.master_sku = skus.master_sku

)

select * from final
