{#- The reallocate_by_priority option of the projected_shortage risks: the same units short,
    but the stock goes to the highest-priority customers first, so the units short fall on
    the lowest tiers. The demand they fall on is the SKU's consensus plan up to the period of
    its deepest projected shortage, split by int_customer_priority_shares. Per risk: the
    units short left to the top-priority customers. -#}
with

risks as (

    select * from {{ ref('fct_risk_register') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

top_shares as (

    select * from {{ ref('int_scenario_top_tier_shares') }}

),

deepest_shortage as (

    select
        master_sku,
        arg_min(horizon_step, closing_units) as horizon_step

    from inventory
    where inventory_status = 'shortage'
    group by master_sku

),

shortage_demand as (

    select
        risks.risk_id,
        sum(plan.consensus_units) filter (where plan.horizon_step <= deepest_shortage.horizon_step) as demand_units

    from risks
    inner join deepest_shortage on risks.subject = deepest_shortage.master_sku
    inner join plan on risks.subject = plan.master_sku
    where risks.risk_type = 'projected_shortage'
    group by risks.risk_id

),

reallocated as (

    select
        risks.risk_id,
        greatest(
            risks.size_units - coalesce(shortage_demand.demand_units, 0) * (1 - coalesce(top_shares.top_share, 0)), 0
        ) as top_priority_units_short

    from risks
    left join shortage_demand on risks.risk_id = shortage_demand.risk_id
    left join top_shares on risks.subject = top_shares.master_sku
    where risks.risk_type = 'projected_shortage'

)

select * from reallocated
