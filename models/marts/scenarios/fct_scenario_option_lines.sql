{#- The trade-off options of the cycle's constraints, line by line: one row per option,
    master SKU and period it touches, with the units the option leaves short and what it
    costs. fct_scenario_options sums these lines per option. Effects are against the
    consensus plan (what could be sold without the constraint), in the reporting currency:
    revenue effect = - units short x price; margin effect = - units short x unit margin
    (price - standard cost) - the action's cost.

    Capacity overload (risk RSK-capacity-<resource>, fct_risk_register), the SKUs the
    pro rata cut of fct_constrained_plan reduces on that resource's overloaded periods:
    - do_nothing: today's pro rata cut (fct_constrained_plan's at-risk units);
    - allocate_by_margin: the hours go to the most margin per hour first, a linear programme
      (int_capacity_allocation, HiGHS);
    - allocate_by_priority: the hours go to the highest customer priority first
      (crm/customers.priority, 1 = key account; int_customer_priority_shares splits each
      SKU's plan by the priority of the customers who ordered it in the last year), then the
      most margin: linear programmes solved in priority order (int_capacity_allocation_by_priority,
      HiGHS). With no priority landed every customer ties: the most units served, then margin;
    - build_ahead: the overload's hours are made in earlier horizon periods with spare hours
      on the resource (nearest first, only periods after the resource's previous overloaded
      period, so no spare hour is used twice), carried as stock at
      carrying_cost_rate_per_period x standard cost per period held (seeds/scenario_cost_rates.csv);
      what the spare hours cannot cover stays short pro rata;
    - add_hours: the overload's hours bought at overtime_cost_per_hour, the cost split over
      the SKUs by their share of the short hours.
    Late supplier (RSK-supplier-<supplier>): its open orders (past due ones from the as-of
    date) arrive max_days_late later (its worst lateness of the last year, fct_supplier_risk);
    a SKU's units short = the largest increase of its projected backlog over the horizon:
    - accept_shortage: those units are lost;
    - expedite: nothing is lost; the SKU's delayed open units pay expedite_cost_share x standard cost;
    - split_supplier, where the family has another supplier that does not run late: the
      short units move to it at split_supplier_cost_share x standard cost.
    Projected shortage (RSK-shortage-<sku>): accept_shortage (the register's units lost, pro
    rata over the customers), expedite (expedite_cost_share x standard cost per unit short) or
    reallocate_by_priority: the same units short, but the stock goes to the highest-priority
    customers first, so the units short fall on the lowest tiers (the demand they fall on:
    the SKU's plan up to the period of its deepest projected shortage, split by
    int_customer_priority_shares); nothing is bought, so it costs nothing.

    top_priority_units_short: the units short of the top-priority customers (the lowest
    priority number landed; every customer when none is landed). Options that do not look
    at priority cut every customer pro rata: units_short x the top tier's share of the SKU. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

risks as (

    select * from {{ ref('fct_risk_register') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

load as (

    select * from {{ ref('fct_capacity_load') }}

),

constrained as (

    select * from {{ ref('fct_constrained_plan') }}

),

allocation as (

    select * from {{ ref('int_capacity_allocation') }}

),

priority_allocation as (

    select * from {{ ref('int_capacity_allocation_by_priority') }}

),

tiers as (

    select * from {{ ref('int_customer_priority_shares') }}

),

routings as (

    select * from {{ ref('int_routings_by_master_sku') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

suppliers as (

    select * from {{ ref('fct_supplier_risk') }}

),

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled' and supplier_id is not null

),

skus as (

    select * from {{ ref('dim_skus') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

rates as (

    select
        max(value) filter (where rate_name = 'overtime_cost_per_hour') as overtime_cost_per_hour,
        max(value) filter (where rate_name = 'carrying_cost_rate_per_period') as carrying_rate,
        max(value) filter (where rate_name = 'expedite_cost_share') as expedite_share,
        max(value) filter (where rate_name = 'split_supplier_cost_share') as split_share

    from {{ ref('scenario_cost_rates') }}

),

sku_money as (

    select
        skus.master_sku,
        skus.master_family,
        cast(coalesce(skus.unit_price, 0) as double) as unit_price,
        cast(coalesce(skus.std_cost, 0) * coalesce(fx_rates.rate_to_reporting, 0) as double) as unit_cost

    from skus
    left join fx_rates on coalesce(skus.currency, '{{ var("reporting_currency") }}') = fx_rates.currency

),

top_shares as (

    select
        master_sku,
        coalesce(sum(tier_share) filter (where is_top_tier), 0) as top_share

    from tiers
    group by master_sku

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

),

-- capacity overloads ---------------------------------------------------------------------

overloads as (

    select
        risks.risk_id,
        load.resource_id,
        load.period_id,
        load.horizon_step,
        load.overload_hours

    from risks
    inner join load
        on risks.subject = load.resource_id
            and load.is_overloaded
    where risks.risk_type = 'capacity_overload'

),

cut_lines as (

    select
        overloads.risk_id,
        overloads.resource_id,
        overloads.period_id,
        overloads.horizon_step,
        constrained.master_sku,
        constrained.plan_units,
        constrained.at_risk_units,
        constrained.at_risk_units * routings.hours_per_unit as short_hours,
        sum(constrained.at_risk_units * routings.hours_per_unit)
            over (partition by overloads.risk_id, overloads.period_id) as period_short_hours

    from overloads
    inner join constrained
        on overloads.period_id = constrained.period_id
            and constrained.binding_resources like '%' || overloads.resource_id || '%'
    inner join routings
        on constrained.master_sku = routings.master_sku
            and overloads.resource_id = routings.resource_id
    where constrained.at_risk_units > 0

),

previous_overload as (

    select
        overloads.risk_id,
        overloads.period_id,
        coalesce(max(earlier.horizon_step), 0) as previous_overload_step

    from overloads
    left join overloads as earlier
        on overloads.risk_id = earlier.risk_id
            and overloads.horizon_step > earlier.horizon_step
    group by overloads.risk_id, overloads.period_id

),

spare as (

    select
        overloads.risk_id,
        overloads.period_id,
        overloads.overload_hours,
        earlier.horizon_step as spare_step,
        overloads.horizon_step - earlier.horizon_step as periods_held,
        earlier.available_hours - earlier.required_hours as spare_hours,
        coalesce(sum(earlier.available_hours - earlier.required_hours) over (
            partition by overloads.risk_id, overloads.period_id order by earlier.horizon_step desc
            rows between unbounded preceding and 1 preceding
        ), 0) as nearer_spare_hours

    from overloads
    inner join previous_overload
        on overloads.risk_id = previous_overload.risk_id
            and overloads.period_id = previous_overload.period_id
    inner join load as earlier
        on overloads.resource_id = earlier.resource_id
            and overloads.horizon_step > earlier.horizon_step
            and previous_overload.previous_overload_step < earlier.horizon_step
            and earlier.available_hours > earlier.required_hours

),

built_ahead as (

    select
        risk_id,
        period_id,
        any_value(overload_hours) as overload_hours,
        sum(greatest(least(spare_hours, overload_hours - nearer_spare_hours), 0)) as built_hours,
        sum(greatest(least(spare_hours, overload_hours - nearer_spare_hours), 0) * periods_held) as built_hour_periods

    from spare
    group by risk_id, period_id

),

capacity_lines as (

    select
        cut_lines.risk_id,
        'do_nothing' as option_key,
        cut_lines.master_sku,
        cut_lines.period_id,
        cut_lines.at_risk_units as units_short,
        0.0 as built_ahead_units,
        0.0 as action_cost

    from cut_lines

    union all

    select
        cut_lines.risk_id,
        'allocate_by_margin',
        cut_lines.master_sku,
        cut_lines.period_id,
        greatest(allocation.plan_units - allocation.allocated_units, 0),
        0.0,
        0.0

    from cut_lines
    inner join allocation
        on cut_lines.master_sku = allocation.master_sku
            and cut_lines.period_id = allocation.period_id

    union all

    select
        cut_lines.risk_id,
        'allocate_by_priority',
        cut_lines.master_sku,
        cut_lines.period_id,
        priority_allocated.units_short,
        0.0,
        0.0

    from cut_lines
    inner join priority_allocated
        on cut_lines.master_sku = priority_allocated.master_sku
            and cut_lines.period_id = priority_allocated.period_id

    union all

    select
        cut_lines.risk_id,
        'build_ahead',
        cut_lines.master_sku,
        cut_lines.period_id,
        cut_lines.at_risk_units * (1 - coalesce(built_ahead.built_hours / nullif(built_ahead.overload_hours, 0), 0)),
        cut_lines.at_risk_units * coalesce(built_ahead.built_hours / nullif(built_ahead.overload_hours, 0), 0),
        cut_lines.at_risk_units * coalesce(built_ahead.built_hours / nullif(built_ahead.overload_hours, 0), 0)
        * coalesce(built_ahead.built_hour_periods / nullif(built_ahead.built_hours, 0), 0)
        * sku_money.unit_cost * rates.carrying_rate

    from cut_lines
    cross join rates
    left join built_ahead
        on cut_lines.risk_id = built_ahead.risk_id
            and cut_lines.period_id = built_ahead.period_id
    left join sku_money on cut_lines.master_sku = sku_money.master_sku

    union all

    select
        cut_lines.risk_id,
        'add_hours',
        cut_lines.master_sku,
        cut_lines.period_id,
        0.0,
        0.0,
        overloads.overload_hours * cut_lines.short_hours / nullif(cut_lines.period_short_hours, 0)
        * rates.overtime_cost_per_hour

    from cut_lines
    cross join rates
    inner join overloads
        on cut_lines.risk_id = overloads.risk_id
            and cut_lines.period_id = overloads.period_id

),

-- late suppliers -------------------------------------------------------------------------

late as (

    select
        'RSK-supplier-' || suppliers.supplier_id as risk_id,
        suppliers.supplier_id,
        suppliers.max_days_late

    from suppliers
    inner join risks
        on 'RSK-supplier-' || suppliers.supplier_id = risks.risk_id

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

alternatives as (

    select
        late.risk_id,
        sku_money.master_family,
        arg_max(other.supplier_id, other.n_received_recently) as alternative_supplier

    from late
    inner join supply as late_supply on late.supplier_id = late_supply.supplier_id
    inner join sku_money on late_supply.master_sku = sku_money.master_sku
    inner join supply as family_supply on late.supplier_id != family_supply.supplier_id
    inner join sku_money as family_skus
        on family_supply.master_sku = family_skus.master_sku
            and sku_money.master_family = family_skus.master_family
    inner join suppliers as other
        on family_supply.supplier_id = other.supplier_id
            and not other.runs_late
    group by late.risk_id, sku_money.master_family

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

),

-- projected shortages --------------------------------------------------------------------

shortage_lines as (

    select
        risks.risk_id,
        'accept_shortage' as option_key,
        risks.subject as master_sku,
        risks.first_period_id as period_id,
        risks.size_units as units_short,
        0.0 as built_ahead_units,
        0.0 as action_cost

    from risks
    where risks.risk_type = 'projected_shortage'

    union all

    select
        risks.risk_id,
        'expedite',
        risks.subject,
        risks.first_period_id,
        0.0,
        0.0,
        risks.size_units * sku_money.unit_cost * rates.expedite_share

    from risks
    cross join rates
    left join sku_money on risks.subject = sku_money.master_sku
    where risks.risk_type = 'projected_shortage'

    union all

    select
        risks.risk_id,
        'reallocate_by_priority',
        risks.subject,
        risks.first_period_id,
        risks.size_units,
        0.0,
        0.0

    from risks
    where risks.risk_type = 'projected_shortage'

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

),

all_lines as (

    select * from capacity_lines
    union all
    select * from supplier_lines
    union all
    select * from shortage_lines

),

final as (

    select
        cycle.cycle,
        all_lines.risk_id || ':' || all_lines.option_key as option_id,
        all_lines.risk_id,
        risks.risk_type,
        all_lines.option_key,
        all_lines.master_sku,
        sku_money.master_family,
        all_lines.period_id,
        line_periods.period_start,
        cast(all_lines.units_short as double) as units_short,
        cast(all_lines.built_ahead_units as double) as built_ahead_units,
        cast(-all_lines.units_short * sku_money.unit_price as double) as revenue_effect,
        cast(all_lines.action_cost as double) as action_cost,
        cast(-all_lines.units_short * (sku_money.unit_price - sku_money.unit_cost) - all_lines.action_cost as double)
            as margin_effect,
        cast(all_lines.built_ahead_units * sku_money.unit_cost as double) as inventory_value_effect,
        cast(case
            when all_lines.option_key = 'allocate_by_priority' then priority_allocated.top_priority_units_short
            when all_lines.option_key = 'reallocate_by_priority' then reallocated.top_priority_units_short
            else all_lines.units_short * coalesce(top_shares.top_share, 0)
        end as double) as top_priority_units_short

    from all_lines
    cross join cycle
    inner join risks on all_lines.risk_id = risks.risk_id
    left join sku_money on all_lines.master_sku = sku_money.master_sku
    left join periods as line_periods on all_lines.period_id = line_periods.period_id
    left join top_shares on all_lines.master_sku = top_shares.master_sku
    left join priority_allocated
        on all_lines.option_key = 'allocate_by_priority'
            and all_lines.master_sku = priority_allocated.master_sku
            and all_lines.period_id = priority_allocated.period_id
    left join reallocated
        on all_lines.option_key = 'reallocate_by_priority'
            and all_lines.risk_id = reallocated.risk_id

)

select * from final
