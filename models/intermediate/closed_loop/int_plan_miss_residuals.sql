{#- A family's own error distribution as known when a cycle was published: per published
    cycle and master family, its relative errors (requested / plan - 1, family totals), at
    lags 1..var accuracy_max_lag, both period by period and over windows of
    var miss_window_periods (default 3) periods:
    - archive: every earlier published baseline against the periods that had closed before
      the cycle was published (int_plan_miss_family_periods; its trailing windows), less
      the last var proposal_periods (default 3) of them: the recent misses a proposal is
      judged on do not widen their own band (a level shift would otherwise hide itself
      within three periods);
    - backtest: the cycle's own rolling-origin backtest (int_forecast_backtest_archive): the
      selected method's forecasts from each origin against the demand that followed; its
      windows are the periods lag - window + 1 .. lag from one origin, for each starting lag
      1..var accuracy_max_lag.
    No residual comes from a period at or after the cycle. Read by int_plan_miss_bands. -#}
with

family_periods as (

    select * from {{ ref('int_plan_miss_family_periods') }}

),

backtest as (

    select * from {{ ref('int_forecast_backtest_archive') }}

),

judged as (

    select distinct
        cycle,
        master_family,
        cycle_seq

    from family_periods

),

archive_residuals as (

    select
        judged.cycle,
        judged.master_family,
        'archive' as residual_source,
        family_periods.cycle_seq as origin_seq,
        family_periods.lag,
        family_periods.period_seq,
        family_periods.family_requested_units / nullif(family_periods.family_plan_units, 0) - 1 as period_residual,
        case
            when family_periods.window_span = {{ var('miss_window_periods') }}
                then family_periods.window_requested_units / nullif(family_periods.window_plan_units, 0) - 1
        end as window_residual

    from judged
    inner join family_periods
        on
            judged.master_family = family_periods.master_family
            and judged.cycle_seq - {{ var('proposal_periods') }} > family_periods.period_seq

),

backtest_families as (

    select
        cycle,
        master_family,
        cutoff_seq,
        lag,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units

    from backtest
    group by cycle, master_family, cutoff_seq, lag

),

backtest_windows as (

    select
        backtest_families.cycle,
        backtest_families.master_family,
        backtest_families.cutoff_seq,
        backtest_families.lag,
        any_value(backtest_families.actual_units) as actual_units,
        any_value(backtest_families.forecast_units) as forecast_units,
        sum(earlier.actual_units) as window_actual_units,
        sum(earlier.forecast_units) as window_forecast_units,
        count(*) as window_span

    from backtest_families
    inner join backtest_families as earlier
        on backtest_families.cycle = earlier.cycle
            and backtest_families.master_family = earlier.master_family
            and backtest_families.cutoff_seq = earlier.cutoff_seq
            and backtest_families.lag >= earlier.lag
            and backtest_families.lag - {{ var('miss_window_periods') }} < earlier.lag
    group by backtest_families.cycle, backtest_families.master_family, backtest_families.cutoff_seq, backtest_families.lag

),

backtest_residuals as (

    select
        cycle,
        master_family,
        'backtest' as residual_source,
        cutoff_seq as origin_seq,
        lag,
        cutoff_seq + lag as period_seq,
        case
            when lag <= {{ var('accuracy_max_lag') }} then actual_units / nullif(forecast_units, 0) - 1
        end as period_residual,
        case
            when window_span = {{ var('miss_window_periods') }} then window_actual_units / nullif(window_forecast_units, 0) - 1
        end as window_residual

    from backtest_windows

),

final as (

    select * from archive_residuals
    union all
    select * from backtest_residuals

)

select * from final
