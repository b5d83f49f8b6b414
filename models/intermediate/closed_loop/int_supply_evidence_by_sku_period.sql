{#- Evidence that supply failed a master SKU in a planning period: a purchase or work order
    due by the period's end whose receipt came (or is still open at the as-of date) more
    than var late_receipt_days (default 7) days after its due date, during or after the
    period's start (due at most 60 days before it); or an inventory snapshot in the period
    with nothing on hand across warehouses (a stock-out). One row per SKU-period with
    evidence, naming the suppliers, orders and days late. -#}
{%- set late_days = var('late_receipt_days') %}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

inventory as (

    select * from {{ ref('int_inventory_snapshots_checked') }}
    where quarantine_rule is null

),

late_orders as (

    select
        supply.master_sku,
        supply.supply_id,
        coalesce(supply.supplier_id, supply.supply_type) as supplier_id,
        supply.due_date,
        coalesce(supply.received_date, cycle.as_of_date) as arrived_date,
        date_diff('day', supply.due_date, coalesce(supply.received_date, cycle.as_of_date)) as days_late

    from supply
    cross join cycle
    where
        supply.due_date < cycle.as_of_date
        and date_diff('day', supply.due_date, coalesce(supply.received_date, cycle.as_of_date)) > {{ late_days }}

),

late_by_period as (

    select
        late_orders.master_sku,
        periods.period_id,
        count(*) as n_late_orders,
        max(late_orders.days_late) as max_days_late,
        string_agg(distinct late_orders.supplier_id, ', ' order by late_orders.supplier_id) as suppliers,
        string_agg(late_orders.supply_id, ', ' order by late_orders.supply_id) as supply_ids

    from late_orders
    inner join periods
        on late_orders.due_date <= periods.period_end
            and late_orders.due_date >= periods.period_start - interval 60 day
            and late_orders.arrived_date >= periods.period_start
    group by late_orders.master_sku, periods.period_id

),

stock_by_snapshot as (

    select
        master_sku,
        snapshot_date,
        sum(on_hand_eaches) as on_hand_eaches

    from inventory
    group by master_sku, snapshot_date

),

stockouts as (

    select
        stock_by_snapshot.master_sku,
        periods.period_id,
        count(*) as n_stockout_snapshots

    from stock_by_snapshot
    inner join periods on stock_by_snapshot.snapshot_date between periods.period_start and periods.period_end
    where stock_by_snapshot.on_hand_eaches <= 0
    group by stock_by_snapshot.master_sku, periods.period_id

),

final as (

    select
        coalesce(late_by_period.master_sku, stockouts.master_sku) as master_sku,
        coalesce(late_by_period.period_id, stockouts.period_id) as period_id,
        coalesce(late_by_period.n_late_orders, 0) as n_late_orders,
        late_by_period.max_days_late,
        late_by_period.suppliers,
        late_by_period.supply_ids,
        coalesce(stockouts.n_stockout_snapshots, 0) as n_stockout_snapshots

    from late_by_period
    full outer join stockouts
        on late_by_period.master_sku = stockouts.master_sku
            and late_by_period.period_id = stockouts.period_id

)

select * from final
