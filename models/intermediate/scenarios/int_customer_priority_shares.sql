{#- Who the plan of each master SKU serves, by customer priority: per master SKU and
    priority tier, the share of the units ordered in the year before the as-of date (the
    window fct_scenario_options names the customers touched from). Read by the allocation by
    customer priority (int_capacity_allocation_by_priority) and the shortage reallocation
    (fct_scenario_option_lines).

    The tier is crm/customers.priority (1 = served first). A customer without one (empty
    cell) ranks after every customer with one; when no customer has a priority (the optional
    column is absent) every customer is in tier 1 and priorities_landed is false: all tie.
    A SKU nobody ordered in that year has one row, the last tier, share 1. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

customers as (

    select * from {{ ref('int_customers_checked') }}
    where quarantine_rule is null

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled' and master_sku is not null

),

plan_skus as (

    select distinct master_sku from {{ ref('fct_consensus_plan') }}

),

landed as (

    select
        max(priority) as max_priority,
        count(priority) > 0 as priorities_landed

    from customers

),

customer_tiers as (

    select
        customers.customer_id,
        case
            when not landed.priorities_landed then 1
            else coalesce(customers.priority, landed.max_priority + 1)
        end as priority_tier

    from customers
    cross join landed

),

recent_units as (

    select
        orders.master_sku,
        coalesce(customer_tiers.priority_tier, case when landed.priorities_landed then landed.max_priority + 1 else 1 end)
            as priority_tier,
        sum(orders.quantity_eaches) as units

    from orders
    cross join cycle
    cross join landed
    left join customer_tiers on orders.customer_id = customer_tiers.customer_id
    where orders.requested_date < cycle.as_of_date and orders.requested_date >= cycle.as_of_date - interval 365 day
    group by all

),

shares as (

    select
        master_sku,
        priority_tier,
        units / sum(units) over (partition by master_sku) as tier_share

    from recent_units
    where units > 0

),

unordered as (

    select
        plan_skus.master_sku,
        case when landed.priorities_landed then landed.max_priority + 1 else 1 end as priority_tier,
        1.0 as tier_share

    from plan_skus
    cross join landed
    where plan_skus.master_sku not in (select shares.master_sku from shares)

),

final as (

    select
        all_shares.master_sku,
        cast(all_shares.priority_tier as bigint) as priority_tier,
        cast(all_shares.tier_share as double) as tier_share,
        cast(all_shares.priority_tier = min(all_shares.priority_tier) over () as boolean) as is_top_tier,
        landed.priorities_landed

    from (
        select * from shares
        union all
        select * from unordered
    ) as all_shares
    cross join landed

)

select * from final
