{#- The late_supplier options, line by line (fct_scenario_option_lines documents them): the
    late supplier's open orders (past due ones from the as-of date) arrive max_days_late
    later; per risk, option and master SKU, the largest increase of its projected backlog
    over the horizon and the period it happens in, and the action's cost: accept_shortage,
    expedite, split_supplier (where the family has another supplier that does not run late). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

late as (

    select * from {{ ref('int_scenario_late_suppliers') }}

),

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled' and supplier_id is not null

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

sku_money as (

    select * from {{ ref('int_scenario_sku_money') }}

),

rates as (

    select * from {{ ref('int_scenario_cost_rates') }}

),

alternatives as (

    select * from {{ ref('int_scenario_late_supplier_alternatives') }}

),

late_orders as (

    select
        late.risk_id,
        supply.master_sku,
        due_periods.period_id as due_period_id,
        shifted_periods.period_id as shifted_period_id,
        supply.quantity_eaches

    from late
    cross join cycle
    inner join supply
        on late.supplier_id = supply.supplier_id
            and supply.status = 'open'
    left join periods as due_periods
        on greatest(supply.due_date, cycle.as_of_date) between due_periods.period_start and due_periods.period_end
    left join periods as shifted_periods
        on greatest(supply.due_date, cycle.as_of_date) + to_days(cast(late.max_days_late as integer))
            between shifted_periods.period_start and shifted_periods.period_end

),

late_flows as (

    select
        late_orders.risk_id,
        late_orders.master_sku,
        inventory.period_id,
        inventory.horizon_step,
        inventory.closing_units,
        coalesce(sum(case when due.horizon_step <= inventory.horizon_step then late_orders.quantity_eaches end), 0)
        - coalesce(sum(case when shifted.horizon_step <= inventory.horizon_step then late_orders.quantity_eaches end), 0)
            as receipts_moved_out

    from late_orders
    inner join inventory on late_orders.master_sku = inventory.master_sku
    left join inventory as due
        on late_orders.master_sku = due.master_sku
            and late_orders.due_period_id = due.period_id
    left join inventory as shifted
        on late_orders.master_sku = shifted.master_sku
            and late_orders.shifted_period_id = shifted.period_id
    group by
        late_orders.risk_id, late_orders.master_sku, inventory.period_id, inventory.horizon_step,
        inventory.closing_units

),

late_short as (

    select
        risk_id,
        master_sku,
        arg_max(
            period_id,
            greatest(-(closing_units - receipts_moved_out), 0) - greatest(-closing_units, 0)
        ) as period_id,
        max(greatest(-(closing_units - receipts_moved_out), 0) - greatest(-closing_units, 0)) as units_short

    from late_flows
    group by risk_id, master_sku
    having max(greatest(-(closing_units - receipts_moved_out), 0) - greatest(-closing_units, 0)) > 0

),

delayed_units as (

    select
        late_orders.risk_id,
        late_orders.master_sku,
        sum(late_orders.quantity_eaches) as units

    from late_orders
    where late_orders.due_period_id is distinct from late_orders.shifted_period_id
    group by late_orders.risk_id, late_orders.master_sku

),

supplier_lines as (

    select
        risk_id,
        'accept_shortage' as option_key,
        master_sku,
        period_id,
        units_short,
        0.0 as built_ahead_units,
        0.0 as action_cost

    from late_short

    union all

    select
        late_short.risk_id,
        'expedite',
        late_short.master_sku,
        late_short.period_id,
        0.0,
        0.0,
        coalesce(delayed_units.units, late_short.units_short) * sku_money.unit_cost * rates.expedite_share

    from late_short
    cross join rates
    left join delayed_units
        on late_short.risk_id = delayed_units.risk_id
            and late_short.master_sku = delayed_units.master_sku
    left join sku_money on late_short.master_sku = sku_money.master_sku

    union all

    select
        late_short.risk_id,
        'split_supplier',
        late_short.master_sku,
        late_short.period_id,
        0.0,
        0.0,
        late_short.units_short * sku_money.unit_cost * rates.split_share

    from late_short
    cross join rates
    inner join sku_money on late_short.master_sku = sku_money.master_sku
    inner join alternatives
        on late_short.risk_id = alternatives.risk_id
            and sku_money.master_family = alternatives.master_family

)

select * from supplier_lines
