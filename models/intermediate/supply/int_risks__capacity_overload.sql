{#- The risk register's capacity_overload risks (RSK-capacity-<resource>): one row per
    resource with overloaded periods in fct_capacity_load, sized by the demand at risk on it
    in fct_constrained_plan (units and revenue); owner supply planner. fct_risk_register
    unions it with the other risk types. -#}
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

)

select * from final
