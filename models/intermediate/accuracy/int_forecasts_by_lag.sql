{#- Every SKU-level number in the room, as it stood when each cycle was published: one row
    per number, cycle, master SKU and target period, with its lag (1 = the cycle's own
    period, the first one not yet closed when it was published; k = the period k - 1 after
    it). Lags 1..var('accuracy_max_lag').

    Published numbers (`evaluation = 'published'`), for every cycle in the plan archive:
    - statistical_baseline: fct_plan_archive (what was actually published; the archive is
      the record this layer reads, hence a mart as input);
    - consensus: fct_consensus_plan_archive, the baseline after the planner's decisions;
    - sales, operations: the latest submission before the cycle's as-of date, in planning
      periods (int_functional_forecasts_by_lag);
    - naive, seasonal_naive: the last closed period's demand, and the same period's a year
      earlier (int_naive_forecasts_by_lag).
    Every published number is scored on the same rows: the SKUs and periods the statistical
    baseline was published for in that cycle (a seasonal naive needs a year of history, so
    it misses the youngest SKUs). Backtests (`evaluation = 'backtest'`) are the
    rolling-origin backtest of the selected method of the current build
    (int_forecast_backtest), its origin as the cycle. They are kept apart: a backtest is not
    what anyone saw. The finance budget has no SKU split; it is scored per family
    (int_budget_units_by_family_period). The 80% and 95% intervals come with the numbers
    that were published with one (statistical baseline, consensus); the others, and the
    backtests, have none (null). -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

consensus_archive as (

    select * from {{ ref('fct_consensus_plan_archive') }}

),

functional_forecasts as (

    select * from {{ ref('int_functional_forecasts_by_lag') }}

),

naive_forecasts as (

    select * from {{ ref('int_naive_forecasts_by_lag') }}

),

backtest as (

    select * from {{ ref('int_forecast_backtest') }}

),

statistical_baseline as (

    select
        'statistical_baseline' as number_source,
        archive.cycle,
        archive.master_sku,
        archive.period_id,
        archive.forecast_units,
        archive.lo_80,
        archive.hi_80,
        archive.lo_95,
        archive.hi_95

    from archive
    where archive.horizon_step <= {{ max_lag }}

),

consensus as (

    select
        'consensus' as number_source,
        consensus_archive.cycle,
        consensus_archive.master_sku,
        consensus_archive.period_id,
        consensus_archive.consensus_units as forecast_units,
        consensus_archive.lo_80,
        consensus_archive.hi_80,
        consensus_archive.lo_95,
        consensus_archive.hi_95

    from consensus_archive
    where consensus_archive.horizon_step <= {{ max_lag }}

),

compared_numbers as (

    select * from consensus

    union all

    select
        naive_forecasts.number_source,
        naive_forecasts.cycle,
        naive_forecasts.master_sku,
        naive_forecasts.period_id,
        naive_forecasts.forecast_units,
        cast(null as double) as lo_80,
        cast(null as double) as hi_80,
        cast(null as double) as lo_95,
        cast(null as double) as hi_95

    from naive_forecasts

),

published as (

    select * from statistical_baseline

    union all

    select
        functional_forecasts.*,
        null,
        null,
        null,
        null

    from functional_forecasts

    union all

    select compared_numbers.*
    from compared_numbers
    semi join statistical_baseline
        on compared_numbers.cycle = statistical_baseline.cycle
            and compared_numbers.master_sku = statistical_baseline.master_sku
            and compared_numbers.period_id = statistical_baseline.period_id

),

by_lag as (

    select
        'published' as evaluation,
        published.number_source,
        published.cycle,
        cycles.period_seq as cycle_seq,
        published.master_sku,
        published.period_id,
        targets.period_seq,
        targets.period_seq - cycles.period_seq + 1 as lag,
        published.forecast_units,
        published.lo_80,
        published.hi_80,
        published.lo_95,
        published.hi_95

    from published
    inner join periods as cycles on published.cycle = cycles.period_id
    inner join periods as targets on published.period_id = targets.period_id
    where targets.period_seq - cycles.period_seq between 0 and {{ max_lag }} - 1

    union all

    select
        'backtest',
        'statistical_baseline',
        origins.period_id as cycle,
        backtest.cutoff_seq + 1,
        backtest.master_sku,
        target_periods.period_id,
        backtest.period_seq,
        backtest.lag,
        backtest.forecast_units,
        null,
        null,
        null,
        null

    from backtest
    inner join periods as origins on backtest.cutoff_seq + 1 = origins.period_seq
    inner join periods as target_periods on backtest.period_seq = target_periods.period_seq
    where backtest.lag <= {{ max_lag }}

)

select * from by_lag
