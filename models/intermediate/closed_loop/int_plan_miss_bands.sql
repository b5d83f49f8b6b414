{#- Is a family's miss beyond its own noise? Per published cycle, lag, master family and
    closed period: the statistic (the family's relative miss, requested / plan - 1) and the
    band it must cross to count as a real miss, at confidence var miss_confidence (default
    0.95): the var miss_confidence quantile of the family's own absolute relative errors,
    known when the cycle was published (periods before the cycle only):
    - from archived residuals (every published cycle's baseline at lags 1..var
      accuracy_max_lag against requested demand) when there are at least var
      miss_min_residuals (default 8) of them;
    - else from those topped up with the forecaster's backtest residuals (the selected
      method's rolling-origin forecasts the cycle's own forecasting run made,
      int_forecast_backtest_archive) when the archive is short;
    - else none: the miss is not judged and never counts as forecast error.
    Families whose SKUs are mostly intermittent or lumpy (demand_class of the published
    cycle) are judged on cumulative demand over a window of var miss_window_periods (default
    3) consecutive periods at the same lag (sum requested / sum plan - 1), against the
    same statistic over windows of their residuals (archive: consecutive periods at one lag;
    backtest: the first var miss_window_periods periods from one origin): period by period
    their misses are mostly the timing of a few orders. -#}
{%- set window_periods = var('miss_window_periods', 3) | int %}
{%- set confidence = var('miss_confidence', 0.95) %}
{%- set min_residuals = var('miss_min_residuals', 8) %}
{%- set max_lag = var('accuracy_max_lag', 3) %}
with

inputs as (

    select * from {{ ref('int_plan_miss_inputs') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

backtest as (

    select * from {{ ref('int_forecast_backtest_archive') }}

),

family_rows as (

    select
        inputs.cycle,
        inputs.lag,
        inputs.master_family,
        inputs.period_id,
        any_value(periods.period_seq) as period_seq,
        any_value(cycle_periods.period_seq) as cycle_seq,
        cast(sum(inputs.plan_units) as double) as family_plan_units,
        cast(sum(inputs.requested_units) as double) as family_requested_units,
        avg(case when inputs.demand_class in ('intermittent', 'lumpy') then 1.0 else 0.0 end) as intermittent_share

    from inputs
    inner join periods on inputs.period_id = periods.period_id
    inner join periods as cycle_periods on inputs.cycle = cycle_periods.period_id
    group by inputs.cycle, inputs.lag, inputs.master_family, inputs.period_id

),

windowed as (

    select
        *,
        sum(family_requested_units) over last_periods as window_requested_units,
        sum(family_plan_units) over last_periods as window_plan_units,
        period_seq - min(period_seq) over last_periods + 1 as window_span

    from family_rows
    window last_periods as (
        partition by lag, master_family order by period_seq
        rows between {{ (window_periods - 1) | abs }} preceding and current row
    )

),

cycle_families as (

    select
        cycle,
        master_family,
        any_value(cycle_seq) as cycle_seq,
        avg(intermittent_share) >= 0.5 as is_judged_on_window

    from family_rows
    group by cycle, master_family

),

archive_residuals as (

    select
        master_family,
        period_seq,
        family_requested_units / nullif(family_plan_units, 0) - 1 as period_residual,
        case
            when window_span = {{ window_periods }}
                then window_requested_units / nullif(window_plan_units, 0) - 1
        end as window_residual

    from windowed

),

backtest_families as (

    select
        cycle,
        master_family,
        cutoff_seq,
        lag,
        period_seq,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units

    from backtest
    where lag <= {{ max_lag }}
    group by cycle, master_family, cutoff_seq, lag, period_seq

),

backtest_windows as (

    select
        cycle,
        master_family,
        cutoff_seq,
        max(period_seq) as period_seq,
        sum(actual_units) / nullif(sum(forecast_units), 0) - 1 as window_residual

    from backtest_families
    where lag <= {{ window_periods }}
    group by cycle, master_family, cutoff_seq
    having count(*) = {{ window_periods }}

),

backtest_residuals as (

    select
        cycle,
        master_family,
        period_seq,
        actual_units / nullif(forecast_units, 0) - 1 as period_residual,
        cast(null as double) as window_residual

    from backtest_families

    union all

    select
        cycle,
        master_family,
        period_seq,
        null,
        window_residual

    from backtest_windows

),

pool as (

    select
        cycle_families.cycle,
        cycle_families.master_family,
        'archive' as residual_source,
        case
            when cycle_families.is_judged_on_window then archive_residuals.window_residual
            else archive_residuals.period_residual
        end as residual

    from cycle_families
    inner join archive_residuals
        on cycle_families.master_family = archive_residuals.master_family
            and cycle_families.cycle_seq > archive_residuals.period_seq

    union all

    select
        cycle_families.cycle,
        cycle_families.master_family,
        'backtest',
        case
            when cycle_families.is_judged_on_window then backtest_residuals.window_residual
            else backtest_residuals.period_residual
        end

    from cycle_families
    inner join backtest_residuals
        on cycle_families.cycle = backtest_residuals.cycle
            and cycle_families.master_family = backtest_residuals.master_family
            and cycle_families.cycle_seq > backtest_residuals.period_seq

),

pool_bands as (

    select
        cycle,
        master_family,
        count(residual) filter (where residual_source = 'archive') as n_archive_residuals,
        count(residual) as n_residuals,
        quantile_cont(abs(residual), {{ confidence }}) filter (where residual_source = 'archive') as archive_band,
        quantile_cont(abs(residual), {{ confidence }}) as pooled_band

    from pool
    group by cycle, master_family

),

bands as (

    select
        cycle_families.cycle,
        cycle_families.master_family,
        cycle_families.is_judged_on_window,
        case
            when pool_bands.n_archive_residuals >= {{ min_residuals }} then 'archive'
            when pool_bands.n_residuals >= {{ min_residuals }} then 'archive+backtest'
            else 'none'
        end as band_source,
        case
            when pool_bands.n_archive_residuals >= {{ min_residuals }} then pool_bands.n_archive_residuals
            when pool_bands.n_residuals >= {{ min_residuals }} then pool_bands.n_residuals
            else coalesce(pool_bands.n_residuals, 0)
        end as n_band_residuals,
        case
            when pool_bands.n_archive_residuals >= {{ min_residuals }} then pool_bands.archive_band
            when pool_bands.n_residuals >= {{ min_residuals }} then pool_bands.pooled_band
        end as band

    from cycle_families
    left join pool_bands
        on cycle_families.cycle = pool_bands.cycle
            and cycle_families.master_family = pool_bands.master_family

),

final as (

    select
        windowed.cycle,
        windowed.lag,
        windowed.master_family,
        windowed.period_id,
        case
            when bands.is_judged_on_window then 'window of {{ window_periods }} periods' else 'period'
        end as miss_judged_on,
        case
            when not bands.is_judged_on_window
                then windowed.family_requested_units / nullif(windowed.family_plan_units, 0) - 1
            when windowed.window_span = {{ window_periods }}
                then windowed.window_requested_units / nullif(windowed.window_plan_units, 0) - 1
        end as miss_statistic,
        bands.band as miss_band,
        cast({{ confidence }} as double) as miss_confidence,
        bands.band_source as miss_band_source,
        bands.n_band_residuals

    from windowed
    inner join bands
        on windowed.cycle = bands.cycle
            and windowed.master_family = bands.master_family

)

select
    *,
    coalesce(abs(miss_statistic) > miss_band, false) as is_miss_significant

from final
