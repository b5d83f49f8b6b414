{#- Every published cycle's backtest, kept: the rolling-origin backtest the forecaster ran
    when the cycle was published (int_forecast_backtest: origins inside the history the
    cycle was given), incremental and append-only by cycle like fct_plan_archive. Where the
    plan archive is still short, int_plan_miss_residuals measures a family's own error
    distribution on it: the errors the cycle's own forecaster made on that history. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
) }}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

backtest as (

    select * from {{ ref('int_forecast_backtest') }}

),

final as (

    select
        cycle.cycle,
        backtest.master_sku,
        backtest.master_family,
        backtest.cutoff_seq,
        backtest.period_seq,
        backtest.lag,
        backtest.actual_units,
        backtest.forecast_units

    from backtest
    cross join cycle
    where backtest.lag <= {{ var('accuracy_max_lag') }} + {{ var('miss_window_periods') }} - 1

)

select * from final
{{ archive_new_cycles_only() }}
