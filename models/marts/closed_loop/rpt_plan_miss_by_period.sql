{#- The miss decomposition summed over SKUs, per lag and closed period: how much of the
    statistical baseline's miss was supply disruption, customer mix, demand variability and
    forecast error (the pack's miss chart). The parts add up to the total miss, as they do
    per SKU. -#}
with

decomposition as (

    select * from {{ ref('fct_plan_miss_decomposition') }}

),

final as (

    select
        lag,
        period_id,
        any_value(cycle) as cycle,
        count(*) as n_skus,
        sum(plan_units) as plan_units,
        sum(requested_units) as requested_units,
        sum(shipped_units) as shipped_units,
        sum(total_miss_units) as total_miss_units,
        sum(supply_disruption_units) as supply_disruption_units,
        sum(customer_mix_units) as customer_mix_units,
        sum(demand_variability_units) as demand_variability_units,
        sum(forecast_error_units) as forecast_error_units

    from decomposition
    group by lag, period_id

)

select * from final
