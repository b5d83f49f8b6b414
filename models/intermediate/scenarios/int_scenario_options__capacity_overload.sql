{#- The capacity_overload options, line by line (fct_scenario_option_lines documents them):
    per risk, option and master SKU the pro rata cut of fct_constrained_plan reduces on the
    resource's overloaded periods, the units left short, the units built ahead and the
    action's cost: do_nothing, allocate_by_margin, allocate_by_priority, build_ahead,
    add_hours. -#}
with

overloads as (

    select * from {{ ref('int_scenario_capacity_overloads') }}

),

constrained as (

    select * from {{ ref('fct_constrained_plan') }}

),

routings as (

    select * from {{ ref('int_routings_by_master_sku') }}

),

allocation as (

    select * from {{ ref('int_capacity_allocation') }}

),

priority_allocated as (

    select * from {{ ref('int_scenario_priority_shortfalls') }}

),

built_ahead as (

    select * from {{ ref('int_scenario_capacity_build_ahead') }}

),

sku_money as (

    select * from {{ ref('int_scenario_sku_money') }}

),

rates as (

    select * from {{ ref('int_scenario_cost_rates') }}

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
        -- summed in decimal, so the total does not depend on the order rows reach the window
        cast(
            sum(cast(constrained.at_risk_units * routings.hours_per_unit as decimal(38, 12)))
                over (partition by overloads.risk_id, overloads.period_id)
            as double
        ) as period_short_hours

    from overloads
    inner join constrained
        on overloads.period_id = constrained.period_id
            and constrained.binding_resources like '%' || overloads.resource_id || '%'
    inner join routings
        on constrained.master_sku = routings.master_sku
            and overloads.resource_id = routings.resource_id
    where constrained.at_risk_units > 0

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

)

select * from capacity_lines
