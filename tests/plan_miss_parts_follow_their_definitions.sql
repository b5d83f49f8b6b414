{#- The miss decomposition (docs: miss_decomposition) against its definitions, not its own
    arithmetic: demand variability is computed in the model as the residual, so "the parts
    add up" cannot fail there. Here every effect is recomputed from the units of the row and
    of its family (service gap S - D, volume effect (D_F - P_F) x P / P_F, mix effect
    (D - P) - volume effect), supply disruption must be all of the service gap or none of
    it, forecast error all of the volume effect or none of it, the total must be S - P, and
    demand variability must be what the other three parts leave of each effect. Fails with
    one row per row that breaks one of them (tolerance 1e-4 units: the parts are decimals
    with 6 places). -#}
with

decomposition as (

    select * from {{ ref('fct_plan_miss_decomposition') }}

),

families as (

    select
        cycle,
        lag,
        master_family,
        period_id,
        sum(cast(plan_units as double)) as family_plan,
        sum(cast(requested_units as double)) as family_requested

    from decomposition
    group by cycle, lag, master_family, period_id

),

recomputed as (

    select
        decomposition.*,
        cast(decomposition.shipped_units as double) - cast(decomposition.requested_units as double) as service_gap,
        case
            when families.family_plan > 0
                then (families.family_requested - families.family_plan) * cast(decomposition.plan_units as double)
                    / families.family_plan
            else 0
        end as volume_effect

    from decomposition
    inner join families
        on decomposition.cycle = families.cycle
            and decomposition.lag = families.lag
            and decomposition.master_family = families.master_family
            and decomposition.period_id = families.period_id

),

expected as (

    select
        *,
        cast(requested_units as double) - cast(plan_units as double) - volume_effect as mix_effect,
        cast(shipped_units as double) - cast(plan_units as double) as expected_total

    from recomputed

),

checked as (

    select
        *,
        (service_gap - cast(supply_disruption_units as double))
        + (volume_effect - cast(forecast_error_units as double))
        + (mix_effect - cast(customer_mix_units as double)) as expected_demand_variability

    from expected

)

select *
from checked
where
    abs(cast(total_miss_units as double) - expected_total) > 1e-4
    or (
        abs(cast(supply_disruption_units as double)) > 1e-4
        and abs(cast(supply_disruption_units as double) - service_gap) > 1e-4
    )
    or (
        abs(cast(forecast_error_units as double)) > 1e-4
        and abs(cast(forecast_error_units as double) - volume_effect) > 1e-4
    )
    or abs(cast(demand_variability_units as double) - expected_demand_variability) > 1e-4
