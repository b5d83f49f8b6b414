{#- One row per scored forecast: evaluation (published or backtest), number, cycle, lag and
    master SKU, with the actual demand of the target period and the error terms every
    accuracy figure is built from. Only closed periods are scored (the period ended before
    the current cycle's as-of date); a SKU with no demand recorded in a closed period had
    an actual of zero.

    error = forecast - actual (positive = over-forecast). MASE and RMSSE scales are the
    in-sample one-step naive errors of the SKU's history before the cycle (mean |y_t -
    y_t-1| and mean (y_t - y_t-1)^2), as utilsforecast's mase/rmsse with seasonality 1.
    The tracking signal runs over the cycles of the same number, lag and SKU up to this one:
    cumulative error / mean absolute error, flagged beyond +/-4. `is_within_80` and
    `is_within_95` say whether the actual fell inside the interval published with the
    number (null for numbers published without one). -#}
with

forecasts as (

    select * from {{ ref('int_forecasts_by_lag') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

classes as (

    select * from {{ ref('fct_demand_classification') }}

),

naive_steps as (

    select
        master_sku,
        period_seq,
        demand_units - lag(demand_units) over (partition by master_sku order by period_seq) as step

    from history

),

origins as (

    select distinct
        master_sku,
        cycle_seq

    from forecasts

),

scales as (

    select
        origins.master_sku,
        origins.cycle_seq,
        cast(avg(abs(naive_steps.step)) as double) as scale_mae,
        cast(avg(naive_steps.step * naive_steps.step) as double) as scale_mse

    from origins
    inner join naive_steps
        on origins.master_sku = naive_steps.master_sku
            and origins.cycle_seq > naive_steps.period_seq
            and naive_steps.step is not null
    group by origins.master_sku, origins.cycle_seq

),

closed as (

    select
        forecasts.*,
        periods.period_start,
        coalesce(cast(history.demand_units as double), 0.0) as actual_units

    from forecasts
    cross join cycle
    inner join periods on forecasts.period_id = periods.period_id
    left join history
        on forecasts.master_sku = history.master_sku
            and forecasts.period_id = history.period_id
    where periods.period_end < cycle.as_of_date

),

errors as (

    select
        closed.evaluation,
        closed.number_source,
        closed.cycle,
        closed.lag,
        closed.master_sku,
        coalesce(skus.master_family, classes.master_family) as master_family,
        classes.demand_class,
        closed.period_id,
        closed.period_start,
        closed.forecast_units,
        closed.actual_units,
        closed.forecast_units - closed.actual_units as error_units,
        abs(closed.forecast_units - closed.actual_units) as abs_error_units,
        (closed.forecast_units - closed.actual_units) * (closed.forecast_units - closed.actual_units)
            as squared_error,
        scales.scale_mae,
        scales.scale_mse,
        skus.unit_price,
        case
            when closed.lo_80 is not null and closed.hi_80 is not null
                then closed.actual_units between closed.lo_80 and closed.hi_80
        end as is_within_80,
        case
            when closed.lo_95 is not null and closed.hi_95 is not null
                then closed.actual_units between closed.lo_95 and closed.hi_95
        end as is_within_95

    from closed
    left join skus on closed.master_sku = skus.master_sku
    left join classes on closed.master_sku = classes.master_sku
    left join scales
        on closed.master_sku = scales.master_sku
            and closed.cycle_seq = scales.cycle_seq

),

tracked as (

    select
        errors.*,
        sum(errors.error_units) over running as cumulative_error_units,
        avg(errors.abs_error_units) over running as running_mad

    from errors
    window running as (
        partition by errors.evaluation, errors.number_source, errors.lag, errors.master_sku
        order by errors.cycle
        rows between unbounded preceding and current row
    )

),

final as (

    select
        evaluation,
        number_source,
        cycle,
        lag,
        master_sku,
        master_family,
        demand_class,
        period_id,
        period_start,
        forecast_units,
        actual_units,
        error_units,
        abs_error_units,
        squared_error,
        scale_mae,
        scale_mse,
        unit_price,
        is_within_80,
        is_within_95,
        abs_error_units * unit_price as abs_error_value,
        actual_units * unit_price as actual_value,
        cumulative_error_units,
        case when running_mad > 0 then cumulative_error_units / running_mad end as tracking_signal,
        coalesce(abs(cumulative_error_units / nullif(running_mad, 0)) > {{ var('tracking_signal_limit') }}, false)
            as is_tracking_signal_flagged

    from tracked

)

select * from final
