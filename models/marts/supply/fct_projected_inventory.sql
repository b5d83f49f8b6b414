{#- Projected inventory per master SKU and horizon period of the cycle, in eaches:

        closing_p = opening + sum_{q <= p} (open supply due in q) - sum_{q <= p} (consensus plan in q)

    opening = the latest snapshot before the as-of date (int_inventory_opening_by_sku);
    open supply by due date, past-due supply in the first period (int_open_supply_by_sku_period);
    demand = the consensus plan (fct_consensus_plan). A negative closing is demand not
    covered (a shortage, backlog carried forward).
    Safety stock = z x sigma x sqrt(lead time in periods): sigma = the SKU's lag-1
    forecast error (root mean squared error of the published baseline, fct_forecast_errors),
    or the 80% interval's half-width / 1.2816 when it has no scored history; z = var
    service_level_z (default 1.645, a 95% cycle service level); lead time = lead_time_days /
    the average period length. Cover target = var cover_target_periods (default 3) periods of
    the average planned demand; above it is excess. Days of supply = closing / the average
    planned demand per day over the horizon. A negative closing within the SKU's lead time
    (horizon_step <= lead time in periods, rounded up) is a `shortage`: new orders cannot
    arrive in time; beyond it, `needs_new_supply`: the open orders do not cover the plan
    yet and an order placed now can. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

opening as (

    select * from {{ ref('int_inventory_opening_by_sku') }}

),

supply as (

    select * from {{ ref('int_open_supply_by_sku_period') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

errors as (

    select * from {{ ref('fct_forecast_errors') }}
    where evaluation = 'published' and number_source = 'statistical_baseline' and lag = 1

),

sigma as (

    select
        master_sku,
        sqrt(avg(squared_error)) as rmse_units,
        count(*) as n_periods

    from errors
    group by master_sku

),

flows as (

    select
        plan.master_sku,
        plan.master_family,
        plan.period_id,
        plan.period_start,
        plan.horizon_step,
        periods.n_days,
        plan.consensus_units as demand_units,
        coalesce(supply.open_supply_units, 0) as receipt_units,
        coalesce(supply.past_due_units, 0) as past_due_receipt_units,
        (plan.hi_80 - plan.lo_80) / 2 / 1.2816 as interval_sigma_units

    from plan
    inner join periods on plan.period_id = periods.period_id
    left join supply
        on plan.master_sku = supply.master_sku
            and plan.period_id = supply.period_id

),

projected as (

    select
        flows.*,
        coalesce(opening.on_hand_units, 0) as opening_units,
        opening.snapshot_date as opening_snapshot_date,
        coalesce(opening.on_hand_units, 0)
        + sum(flows.receipt_units - flows.demand_units) over running as closing_units,
        avg(flows.demand_units) over whole_horizon as average_demand_units,
        sum(flows.demand_units) over whole_horizon / sum(flows.n_days) over whole_horizon as average_daily_demand_units

    from flows
    left join opening on flows.master_sku = opening.master_sku
    window
        running as (partition by flows.master_sku order by flows.horizon_step rows unbounded preceding),
        whole_horizon as (partition by flows.master_sku)

),

final as (

    select
        cycle.cycle,
        projected.master_sku,
        projected.master_family,
        projected.period_id,
        projected.period_start,
        projected.horizon_step,
        projected.opening_snapshot_date,
        case when projected.horizon_step = 1 then projected.opening_units
            else projected.closing_units - projected.receipt_units + projected.demand_units
        end as starting_units,
        projected.receipt_units,
        projected.past_due_receipt_units,
        projected.demand_units,
        projected.closing_units,
        {{ var('service_level_z') }} * coalesce(sigma.rmse_units, projected.interval_sigma_units)
        * sqrt(greatest(coalesce(skus.lead_time_days, 0), 1) * 12.0 / 365.25) as safety_stock_units,
        {{ var('cover_target_periods') }} * projected.average_demand_units as cover_target_units,
        case when projected.average_daily_demand_units > 0
                then projected.closing_units / projected.average_daily_demand_units
        end as days_of_supply,
        ceil(greatest(coalesce(skus.lead_time_days, 0), 1) * 12.0 / 365.25) as lead_time_periods,
        case
            when projected.closing_units < 0
                and projected.horizon_step <= ceil(greatest(coalesce(skus.lead_time_days, 0), 1) * 12.0 / 365.25)
                then 'shortage'
            when projected.closing_units < 0 then 'needs_new_supply'
            when projected.closing_units < {{ var('service_level_z') }}
                * coalesce(sigma.rmse_units, projected.interval_sigma_units)
                * sqrt(greatest(coalesce(skus.lead_time_days, 0), 1) * 12.0 / 365.25) then 'below_safety_stock'
            when projected.average_demand_units > 0
                and projected.closing_units > {{ var('cover_target_periods') }} * projected.average_demand_units
                then 'excess'
            when projected.average_demand_units = 0 and projected.closing_units > 0 then 'excess'
            else 'ok'
        end as inventory_status,
        coalesce(skus.std_cost, 0) * greatest(projected.closing_units, 0) as closing_value,
        skus.status as sku_status

    from projected
    cross join cycle
    left join sigma on projected.master_sku = sigma.master_sku
    left join skus on projected.master_sku = skus.master_sku

)

select * from final
