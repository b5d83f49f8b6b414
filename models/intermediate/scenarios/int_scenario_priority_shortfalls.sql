{#- The allocation by customer priority (int_capacity_allocation_by_priority) per master SKU
    and period: the units it leaves short, and those of the top-priority customers (the
    lowest priority tier landed). -#}
with

priority_allocation as (

    select * from {{ ref('int_capacity_allocation_by_priority') }}

),

tiers as (

    select * from {{ ref('int_customer_priority_shares') }}

),

top_tier as (

    select min(priority_tier) as priority_tier
    from tiers

),

priority_allocated as (

    select
        master_sku,
        period_id,
        sum(greatest(plan_units - allocated_units, 0)) as units_short,
        coalesce(
            sum(greatest(plan_units - allocated_units, 0)) filter (where priority_allocation.priority_tier = top_tier.priority_tier),
            0
        ) as top_priority_units_short

    from priority_allocation
    cross join top_tier
    group by master_sku, period_id

)

select * from priority_allocated
