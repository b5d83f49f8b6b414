{#- Every published cycle's backtest, kept: the rolling-origin backtest the forecaster ran
    when the cycle was published (int_forecast_backtest, every origin before the cycle),
    incremental and append-only by cycle like fct_plan_archive. Where the plan archive is
    still short, int_plan_miss_bands measures a family's own error distribution on it: the
    errors the cycle's own forecaster made on the history it was given. -#}
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
        backtest.segment,
        backtest.cutoff_seq,
        backtest.period_seq,
        backtest.lag,
        backtest.actual_units,
        backtest.forecast_units,
        backtest.method

    from backtest
    cross join cycle

)

select * from final
{{ archive_new_cycles_only() }}
