{#- The statistical baseline for this build's cycle: one row per master SKU and future
    planning period of the horizon, with the point forecast, 80% and 95% intervals and the
    method that made it (chosen per family and segment in fct_forecast_method_selection). -#}
with

forecasts as (

    select * from {{ ref('int_demand_forecast') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

placed as (

    select
        cycle.cycle,
        forecasts.master_sku,
        forecasts.master_family,
        forecasts.demand_class,
        periods.period_id,
        periods.period_start,
        cast(forecasts.period_seq - cycle.cycle_period_seq + 1 as integer) as horizon_step,
        round(forecasts.forecast, 4) as forecast_units,
        round(forecasts.lo_80, 4) as lo_80,
        round(forecasts.hi_80, 4) as hi_80,
        round(forecasts.lo_95, 4) as lo_95,
        round(forecasts.hi_95, 4) as hi_95,
        forecasts.method

    from forecasts
    cross join cycle
    inner join periods on forecasts.period_seq = periods.period_seq

)

select * from placed
