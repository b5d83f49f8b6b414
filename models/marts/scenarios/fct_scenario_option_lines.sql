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
    at priority cut every customer pro rata: units_short x the top tier's share of the SKU.

    Each risk type's options are built in models/intermediate/scenarios
    (int_scenario_options__<risk_type>, on the shared int_scenario_* inputs); this model
    unions them and values each line. -#}
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

capacity_lines as (

    select * from {{ ref('int_scenario_options__capacity_overload') }}

),

supplier_lines as (

    select * from {{ ref('int_scenario_options__late_supplier') }}

),

shortage_lines as (

    select * from {{ ref('int_scenario_options__projected_shortage') }}

),

sku_money as (

    select * from {{ ref('int_scenario_sku_money') }}

),

top_shares as (

    select * from {{ ref('int_scenario_top_tier_shares') }}

),

priority_allocated as (

    select * from {{ ref('int_scenario_priority_shortfalls') }}

),

reallocated as (

    select * from {{ ref('int_scenario_shortage_reallocation') }}

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
