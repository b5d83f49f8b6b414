{#- Forecast accuracy per period, the pack's trend chart: 1 - WAPE at lag 1 over all SKUs
    (fct_forecast_errors) for the published consensus plan and statistical baseline, and
    the baseline's backtest before the archive began, with the target (var
    forecast_accuracy_target, default 0.75). A period without scored errors has no row. -#}
with

errors as (

    select * from {{ ref('fct_forecast_errors') }}
    where
        lag = 1
        and (
            (evaluation = 'published' and number_source in ('consensus', 'statistical_baseline'))
            or (evaluation = 'backtest' and number_source = 'statistical_baseline')
        )

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

by_period as (

    select
        case when errors.evaluation = 'backtest' then 'statistical baseline (backtest)'
            when errors.number_source = 'consensus' then 'consensus plan'
            else 'statistical baseline'
        end as series,
        errors.period_id,
        sum(errors.abs_error_units) as abs_error_units,
        sum(errors.actual_units) as actual_units

    from errors
    group by 1, 2

),

final as (

    select
        cycle.cycle,
        by_period.series,
        by_period.period_id,
        periods.period_start,
        cast(by_period.abs_error_units / nullif(by_period.actual_units, 0) as double) as wape,
        cast(1 - by_period.abs_error_units / nullif(by_period.actual_units, 0) as double) as accuracy,
        cast({{ var('forecast_accuracy_target') }} as double) as target_accuracy

    from by_period
    cross join cycle
    inner join periods on by_period.period_id = periods.period_id
    where periods.period_seq >= cycle.cycle_period_seq - {{ var('review_history_periods') }}

)

select * from final
