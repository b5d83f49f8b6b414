{#- Supplier risk for the cycle, one row per supplier with open supply: how late its receipts
    ran over the last var supplier_history_days (default 365) days before the as-of date
    (received orders: average days late, share more than var late_receipt_days late), its
    open orders already past due, its open orders due after the period that needs them (the
    SKU's projected stock goes below zero in an earlier period: fct_projected_inventory),
    and the SKUs and planned revenue over the horizon that depend on it. A supplier runs late when at least var late_supplier_share (default 0.10)
    of its recent receipts were late. -#}
{%- set late_days = var('late_receipt_days') %}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled' and supplier_id is not null

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

first_need as (

    select
        inventory.master_sku,
        min(inventory.period_start) as need_period_start

    from inventory
    where inventory.closing_units < 0
    group by inventory.master_sku

),

due_after_need as (

    select
        supply.supplier_id,
        count(*) as n_orders_due_after_need,
        sum(supply.quantity_eaches) as units_due_after_need

    from supply
    cross join cycle
    inner join first_need on supply.master_sku = first_need.master_sku
    inner join periods on supply.due_date between periods.period_start and periods.period_end
    where
        supply.status = 'open'
        and supply.due_date >= cycle.as_of_date
        and periods.period_start > first_need.need_period_start
    group by supply.supplier_id

),

history as (

    select
        supply.supplier_id,
        count(*) as n_received,
        avg(greatest(date_diff('day', supply.due_date, supply.received_date), 0)) as average_days_late,
        max(date_diff('day', supply.due_date, supply.received_date)) as max_days_late,
        avg(case when date_diff('day', supply.due_date, supply.received_date) > {{ late_days }} then 1.0 else 0.0 end)
            as share_late

    from supply
    cross join cycle
    where
        supply.status = 'received'
        and supply.received_date < cycle.as_of_date
        and supply.received_date >= cycle.as_of_date - interval {{ var('supplier_history_days') }} day
    group by supply.supplier_id

),

open_supply as (

    select
        supply.supplier_id,
        count(*) as n_open_orders,
        count(*) filter (where supply.due_date < cycle.as_of_date) as n_past_due_orders,
        coalesce(sum(supply.quantity_eaches) filter (where supply.due_date < cycle.as_of_date), 0) as past_due_units,
        sum(supply.quantity_eaches) as open_units,
        min(supply.due_date) as first_due_date,
        string_agg(distinct supply.master_sku, ', ' order by supply.master_sku) as exposed_skus,
        count(distinct supply.master_sku) as n_exposed_skus

    from supply
    cross join cycle
    where supply.status = 'open'
    group by supply.supplier_id

),

exposed_revenue as (

    select
        supplier_skus.supplier_id,
        sum(plan.consensus_units * coalesce(skus.unit_price, 0)) as exposed_revenue

    from (
        select distinct
            supplier_id,
            master_sku
        from supply
        where status = 'open'
    ) as supplier_skus
    inner join plan on supplier_skus.master_sku = plan.master_sku
    left join skus on plan.master_sku = skus.master_sku
    group by supplier_skus.supplier_id

),

final as (

    select
        cycle.cycle,
        open_supply.supplier_id,
        open_supply.n_open_orders,
        open_supply.n_past_due_orders,
        cast(open_supply.open_units as double) as open_units,
        cast(open_supply.past_due_units as double) as past_due_units,
        coalesce(due_after_need.n_orders_due_after_need, 0) as n_orders_due_after_need,
        cast(coalesce(due_after_need.units_due_after_need, 0) as double) as units_due_after_need,
        open_supply.first_due_date,
        coalesce(history.n_received, 0) as n_received_recently,
        cast(history.average_days_late as double) as average_days_late,
        history.max_days_late,
        cast(history.share_late as double) as share_late,
        coalesce(history.share_late >= {{ var('late_supplier_share') }}, false) as runs_late,
        open_supply.n_exposed_skus,
        open_supply.exposed_skus,
        cast(coalesce(exposed_revenue.exposed_revenue, 0) as double) as exposed_revenue

    from open_supply
    cross join cycle
    left join history on open_supply.supplier_id = history.supplier_id
    left join exposed_revenue on open_supply.supplier_id = exposed_revenue.supplier_id
    left join due_after_need on open_supply.supplier_id = due_after_need.supplier_id

)

select * from final
