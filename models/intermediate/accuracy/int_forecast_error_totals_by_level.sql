{#- Additive error totals behind fct_forecast_accuracy, per evaluation (published plans or
    backtests), number, lag, level (sku, family, company) and cycle, and pooled over every
    scored cycle (cycle = 'all'). Built from fct_forecast_errors' SKU errors: absolute
    errors are summed per SKU-period before they are totalled, so a SKU's over-forecast never
    cancels another's under-forecast; `netted_abs_error_units` is the absolute error of the
    level's total per period, where SKU errors cancel. Pooled rows sum the cycles' totals;
    the tracking signal and its flags are the latest cycle's. `family_key` and `sku_key` are
    '(all)' above their level. -#}
with

errors as (

    select * from {{ ref('fct_forecast_errors') }}

),

levels as (

    select 'sku' as aggregation_level
    union all
    select 'family'
    union all
    select 'company'

),

levelled as (

    select
        errors.*,
        levels.aggregation_level,
        case when levels.aggregation_level = 'company' then '(all)' else errors.master_family end as family_key,
        case when levels.aggregation_level = 'sku' then errors.master_sku else '(all)' end as sku_key

    from errors
    cross join levels

),

period_totals as (

    select
        evaluation,
        number_source,
        lag,
        aggregation_level,
        family_key,
        sku_key,
        cycle,
        count(*) as n_sku_periods,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units,
        sum(error_units) as error_units,
        sum(abs_error_units) as abs_error_units,
        abs(sum(error_units)) as netted_abs_error_units,
        count(*) filter (where actual_units = 0) as n_zero_actual,
        sum(abs_error_units / actual_units) filter (where actual_units > 0) as ape_sum,
        count(*) filter (where actual_units > 0) as n_ape,
        sum(abs_error_value) as abs_error_value,
        sum(actual_value) as actual_value,
        count(*) filter (where is_tracking_signal_flagged) as n_tracking_flagged,
        max(tracking_signal) as tracking_signal,
        count(*) filter (where is_within_80 is not null) as n_interval_periods,
        count(*) filter (where is_within_80) as n_within_80,
        count(*) filter (where is_within_95) as n_within_95

    from levelled
    group by evaluation, number_source, lag, aggregation_level, family_key, sku_key, cycle

),

per_cycle as (

    select
        period_totals.*,
        1 as n_cycles

    from period_totals

),

pooled as (

    select
        evaluation,
        number_source,
        lag,
        aggregation_level,
        family_key,
        sku_key,
        'all' as cycle,
        sum(n_sku_periods) as n_sku_periods,
        sum(actual_units) as actual_units,
        sum(forecast_units) as forecast_units,
        sum(error_units) as error_units,
        sum(abs_error_units) as abs_error_units,
        sum(netted_abs_error_units) as netted_abs_error_units,
        sum(n_zero_actual) as n_zero_actual,
        sum(ape_sum) as ape_sum,
        sum(n_ape) as n_ape,
        sum(abs_error_value) as abs_error_value,
        sum(actual_value) as actual_value,
        arg_max(n_tracking_flagged, cycle) as n_tracking_flagged,
        arg_max(tracking_signal, cycle) as tracking_signal,
        sum(n_interval_periods) as n_interval_periods,
        sum(n_within_80) as n_within_80,
        sum(n_within_95) as n_within_95,
        count(*) as n_cycles

    from period_totals
    group by evaluation, number_source, lag, aggregation_level, family_key, sku_key

),

final as (

    select * from per_cycle
    union all by name
    select * from pooled

)

select * from final
