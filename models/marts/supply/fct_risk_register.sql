{#- The cycle's risk register: one row per constraint or risk, with a stable risk_id (the
    same risk keeps its id from cycle to cycle; rpt_risk_register follows it from the cycle
    it appeared to the cycle it closed):
    - capacity_overload (RSK-capacity-<resource>): the resource's overloaded periods
      (fct_capacity_load), demand at risk from fct_constrained_plan; owner supply planner;
    - projected_shortage (RSK-shortage-<sku>): projected stock below zero within the
      SKU's lead time (fct_projected_inventory); owner supply planner;
    - late_supplier (RSK-supplier-<supplier>): a supplier that runs late with open
      orders (fct_supplier_risk); owner procurement;
    - excess_obsolescence (RSK-excess-<sku>): an end-of-life SKU still holding stock at
      the end of the horizon, valued at cost; owner finance;
    - escalated_miss (RSK-<escalation_id>): closed-loop misses escalated to the leadership
      review (rpt_miss_escalations); owner from the escalation.
    Size in units and in money (reporting currency), first period affected. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

load as (

    select * from {{ ref('fct_capacity_load') }}

),

constrained as (

    select * from {{ ref('fct_constrained_plan') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

suppliers as (

    select * from {{ ref('fct_supplier_risk') }}

),

escalations as (

    select * from {{ ref('rpt_miss_escalations') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

capacity_risks as (

    select
        'RSK-capacity-' || load.resource_id as risk_id,
        'capacity_overload' as risk_type,
        load.resource_id as subject,
        min(load.period_id) as first_period_id,
        sum(load.overload_hours) as size_hours,
        max(load.utilization) as peak_utilization,
        string_agg(load.period_id, ', ' order by load.period_id) as periods,
        any_value(load.driving_families) as driving_families,
        arg_min(load.driving_skus, load.period_id) as driving_skus

    from load
    where load.is_overloaded
    group by load.resource_id

),

capacity_at_risk as (

    select
        capacity_risks.risk_id,
        sum(constrained.at_risk_units) as units,
        sum(constrained.at_risk_revenue) as money

    from capacity_risks
    inner join constrained
        on constrained.binding_resources like '%' || capacity_risks.subject || '%'
    group by capacity_risks.risk_id

),

shortages as (

    select
        'RSK-shortage-' || inventory.master_sku as risk_id,
        'projected_shortage' as risk_type,
        inventory.master_sku as subject,
        min(inventory.period_id) as first_period_id,
        -min(inventory.closing_units) as units,
        -min(inventory.closing_units) * coalesce(any_value(skus.unit_price), 0) as money

    from inventory
    left join skus on inventory.master_sku = skus.master_sku
    where inventory.inventory_status = 'shortage'
    group by inventory.master_sku

),

excess as (

    select
        'RSK-excess-' || inventory.master_sku as risk_id,
        'excess_obsolescence' as risk_type,
        inventory.master_sku as subject,
        inventory.period_id as first_period_id,
        inventory.closing_units as units,
        inventory.closing_value as money

    from inventory
    where
        inventory.sku_status = 'eol' and inventory.closing_units > 0
        and inventory.horizon_step = (select max(last_step.horizon_step) from inventory as last_step)

),

final as (

    select
        cycle.cycle,
        capacity_risks.risk_id,
        capacity_risks.risk_type,
        capacity_risks.subject,
        capacity_risks.first_period_id,
        cast(coalesce(capacity_at_risk.units, 0) as double) as size_units,
        cast(coalesce(capacity_at_risk.money, 0) as double) as size_money,
        'supply planner' as owner_role,
        'open' as status,
        capacity_risks.subject || ' overloaded in ' || capacity_risks.periods || ' (peak '
        || cast(round(100 * capacity_risks.peak_utilization) as bigint) || '% of its hours, '
        || cast(round(capacity_risks.size_hours) as bigint) || ' h short); driven by '
        || capacity_risks.driving_families || '; largest SKUs ' || capacity_risks.driving_skus as description,
        capacity_risks.driving_skus as affected_skus

    from capacity_risks
    cross join cycle
    left join capacity_at_risk on capacity_risks.risk_id = capacity_at_risk.risk_id

    union all

    select
        cycle.cycle,
        risk_id,
        risk_type,
        subject,
        first_period_id,
        cast(units as double),
        cast(money as double),
        'supply planner',
        'open',
        subject || ' projected ' || cast(round(units) as bigint) || ' units short from ' || first_period_id
        || ', within its lead time',
        subject as affected_skus

    from shortages
    cross join cycle

    union all

    select
        suppliers.cycle,
        'RSK-supplier-' || suppliers.supplier_id,
        'late_supplier',
        suppliers.supplier_id,
        periods.period_id,
        suppliers.open_units,
        suppliers.exposed_revenue,
        'procurement',
        'open',
        'supplier ' || suppliers.supplier_id || ' received ' || cast(round(100 * suppliers.share_late) as bigint)
        || '% of its orders late in the last year (up to ' || suppliers.max_days_late || ' days); '
        || suppliers.n_open_orders || ' open orders (' || suppliers.n_past_due_orders || ' past due) feed '
        || suppliers.n_exposed_skus || ' SKUs',
        suppliers.exposed_skus

    from suppliers
    inner join {{ ref('int_planning_periods') }} as periods
        on greatest(suppliers.first_due_date, (select as_of_date from cycle)) between periods.period_start
            and periods.period_end
    where suppliers.runs_late

    union all

    select
        cycle.cycle,
        risk_id,
        risk_type,
        subject,
        first_period_id,
        cast(units as double),
        cast(money as double),
        'finance',
        'open',
        'end-of-life ' || subject || ' still holds ' || cast(round(units) as bigint) || ' units at the end of the horizon',
        subject as affected_skus

    from excess
    cross join cycle

    union all

    select
        cycle.cycle,
        'RSK-' || escalations.escalation_id,
        'escalated_miss',
        escalations.master_sku,
        escalations.last_period_id,
        escalations.units_at_stake,
        cast(null as double),
        escalations.owner_role,
        'open',
        escalations.latest_cause,
        escalations.master_sku as affected_skus

    from escalations
    cross join cycle
    where escalations.is_escalated_to_leadership

)

select * from final
