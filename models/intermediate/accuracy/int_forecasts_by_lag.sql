{#- Every SKU-level number in the room, as it stood when each cycle was published: one row
    per number, cycle, master SKU and target period, with its lag (1 = the cycle's own
    period, the first one not yet closed when it was published; k = the period k - 1 after
    it). Lags 1..var('accuracy_max_lag').

    Published numbers (`evaluation = 'published'`), for every cycle in the plan archive:
    - statistical_baseline: fct_plan_archive (what was actually published; the archive is
      the record this layer reads, hence a mart as input);
    - consensus: fct_consensus_plan_archive, the baseline after the planner's decisions;
    - sales, operations: the latest crm/sales_forecast and erp/ops_forecast submission made
      before the cycle's as-of date, spread evenly over the days of its calendar month and
      summed into planning periods; a period the submission does not cover every day of is
      left out; when a cycle has a submission at all, a SKU without a row in it was
      forecast at zero;
    - naive: the last closed period's demand, for every lag;
    - seasonal_naive: the demand of the same period one year (12 periods) earlier.
    Every published number is scored on the same rows: the SKUs and periods the statistical
    baseline was published for in that cycle (a seasonal naive needs a year of history, so
    it misses the youngest SKUs). Backtests (`evaluation = 'backtest'`) are the rolling-origin backtest of the selected
    method of the current build (int_forecast_backtest), its origin as the cycle. They are
    kept apart: a backtest is not what anyone saw. The finance budget has no SKU split; it
    is scored per family (int_budget_units_by_family_period). The 80% and 95% intervals come
    with the numbers that were published with one (statistical baseline, consensus); the
    others, and the backtests, have none (null). -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

consensus_archive as (

    select * from {{ ref('fct_consensus_plan_archive') }}

),

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

backtest as (

    select * from {{ ref('int_forecast_backtest') }}

),

sales_forecasts as (

    select * from {{ ref('int_sales_forecasts_checked') }}
    where quarantine_rule is null

),

ops_forecasts as (

    select * from {{ ref('int_ops_forecasts_checked') }}
    where quarantine_rule is null

),

evaluation_cycles as (

    select distinct
        archive.cycle,
        periods.period_seq as cycle_seq,
        periods.period_start as as_of_date

    from archive
    inner join periods on archive.cycle = periods.period_id

),

targets as (

    select
        evaluation_cycles.cycle,
        evaluation_cycles.cycle_seq,
        periods.period_id,
        periods.period_seq,
        periods.period_start,
        periods.period_end,
        periods.n_days,
        periods.period_seq - evaluation_cycles.cycle_seq + 1 as lag

    from evaluation_cycles
    inner join periods
        on periods.period_seq between evaluation_cycles.cycle_seq
            and evaluation_cycles.cycle_seq + {{ max_lag }} - 1

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

submissions as (

    select
        'sales' as number_source,
        sales_forecasts.crm_product_code as source_code,
        sales_forecasts.master_sku,
        sales_forecasts.period_start as month_start,
        sales_forecasts.quantity_eaches,
        sales_forecasts.submitted_at

    from sales_forecasts

    union all

    select
        'operations',
        ops_forecasts.erp_item,
        ops_forecasts.master_sku,
        ops_forecasts.period_start,
        ops_forecasts.quantity_eaches,
        ops_forecasts.submitted_at

    from ops_forecasts

),

latest_submissions as (

    select
        submissions.number_source,
        evaluation_cycles.cycle,
        submissions.master_sku,
        submissions.month_start,
        submissions.quantity_eaches

    from submissions
    inner join evaluation_cycles
        on submissions.submitted_at < evaluation_cycles.as_of_date
            and submissions.month_start < evaluation_cycles.as_of_date + interval ({{ max_lag }} + 2) month
            and last_day(submissions.month_start) >= evaluation_cycles.as_of_date
    qualify row_number() over (
            partition by
                submissions.number_source, evaluation_cycles.cycle, submissions.source_code,
                submissions.month_start
            order by submissions.submitted_at desc
        ) = 1

),

submission_days as (

    select
        latest_submissions.number_source,
        latest_submissions.cycle,
        latest_submissions.master_sku,
        calendar_days.period_id,
        calendar_days.calendar_date,
        latest_submissions.quantity_eaches
        / (date_diff('day', latest_submissions.month_start, last_day(latest_submissions.month_start)) + 1)
            as units

    from latest_submissions
    inner join calendar_days
        on calendar_days.calendar_date
            between latest_submissions.month_start and last_day(latest_submissions.month_start)

),

functional as (

    select
        submission_days.number_source,
        submission_days.cycle,
        submission_days.master_sku,
        submission_days.period_id,
        cast(sum(submission_days.units) as double) as forecast_units

    from submission_days
    inner join targets
        on submission_days.cycle = targets.cycle
            and submission_days.period_id = targets.period_id
    group by
        submission_days.number_source,
        submission_days.cycle,
        submission_days.master_sku,
        submission_days.period_id,
        targets.n_days
    having count(distinct submission_days.calendar_date) = targets.n_days

),

functional_sources as (

    select distinct
        functional.number_source,
        functional.cycle

    from functional

),

functional_complete as (

    select
        functional_sources.number_source,
        functional_sources.cycle,
        statistical_baseline.master_sku,
        statistical_baseline.period_id,
        coalesce(functional.forecast_units, 0.0) as forecast_units,
        cast(null as double) as lo_80,
        cast(null as double) as hi_80,
        cast(null as double) as lo_95,
        cast(null as double) as hi_95

    from statistical_baseline
    inner join functional_sources on statistical_baseline.cycle = functional_sources.cycle
    left join functional
        on functional_sources.number_source = functional.number_source
            and statistical_baseline.cycle = functional.cycle
            and statistical_baseline.master_sku = functional.master_sku
            and statistical_baseline.period_id = functional.period_id

),

naive as (

    select
        'naive' as number_source,
        targets.cycle,
        history.master_sku,
        targets.period_id,
        cast(history.demand_units as double) as forecast_units,
        cast(null as double) as lo_80,
        cast(null as double) as hi_80,
        cast(null as double) as lo_95,
        cast(null as double) as hi_95

    from targets
    inner join history on targets.cycle_seq - 1 = history.period_seq

),

seasonal_naive as (

    select
        'seasonal_naive' as number_source,
        targets.cycle,
        history.master_sku,
        targets.period_id,
        cast(history.demand_units as double) as forecast_units,
        cast(null as double) as lo_80,
        cast(null as double) as hi_80,
        cast(null as double) as lo_95,
        cast(null as double) as hi_95

    from targets
    inner join history on targets.period_seq - 12 = history.period_seq

),

compared_numbers as (

    select * from consensus
    union all
    select * from naive
    union all
    select * from seasonal_naive

),

published as (

    select * from statistical_baseline
    union all
    select * from functional_complete
    union all
    select compared_numbers.*
    from compared_numbers
    semi join statistical_baseline
        on compared_numbers.cycle = statistical_baseline.cycle
            and compared_numbers.master_sku = statistical_baseline.master_sku
            and compared_numbers.period_id = statistical_baseline.period_id

),

published_by_lag as (

    select
        'published' as evaluation,
        published.number_source,
        published.cycle,
        targets.cycle_seq,
        published.master_sku,
        published.period_id,
        targets.period_seq,
        targets.lag,
        published.forecast_units,
        published.lo_80,
        published.hi_80,
        published.lo_95,
        published.hi_95

    from published
    inner join targets
        on published.cycle = targets.cycle
            and published.period_id = targets.period_id

),

backtest_by_lag as (

    select
        'backtest' as evaluation,
        'statistical_baseline' as number_source,
        origins.period_id as cycle,
        backtest.cutoff_seq + 1 as cycle_seq,
        backtest.master_sku,
        target_periods.period_id,
        backtest.period_seq,
        backtest.lag,
        backtest.forecast_units,
        cast(null as double) as lo_80,
        cast(null as double) as hi_80,
        cast(null as double) as lo_95,
        cast(null as double) as hi_95

    from backtest
    inner join periods as origins on backtest.cutoff_seq + 1 = origins.period_seq
    inner join periods as target_periods on backtest.period_seq = target_periods.period_seq
    where backtest.lag <= {{ max_lag }}

),

final as (

    select * from published_by_lag
    union all
    select * from backtest_by_lag

)

select * from final
