{#- Forecast accuracy per evaluation (published plans or backtests), number, lag and level
    (sku, family, company), for each cycle and pooled over every scored cycle
    (cycle = 'all'). Built from fct_forecast_errors, through its additive totals
    (int_forecast_error_totals_by_level) and scaled errors (int_forecast_scaled_errors_by_level).

    Family and company figures are computed from SKU errors: WAPE = sum of the SKUs'
    absolute errors / sum of actuals, so a SKU's over-forecast never cancels another's
    under-forecast. `netted_wape` is the comfortable figure shown beside it, labelled: the
    absolute error of the family's (company's) total per period, where SKU errors cancel.
    MASE and RMSSE of a family or the company are the mean of their SKUs' values. The
    formulas and which demand class each metric suits are in the dbt docs (metric
    definitions). Interval coverage (`coverage_80`, `coverage_95`): the share of SKU-periods
    with a published interval whose actual fell inside it; a calibrated 80% interval holds
    about 80% of actuals. -#}
with

windows as (

    select * from {{ ref('int_forecast_error_totals_by_level') }}

),

scaled_levels as (

    select * from {{ ref('int_forecast_scaled_errors_by_level') }}

),

classes as (

    select * from {{ ref('fct_demand_classification') }}

),

final as (

    select
        windows.evaluation,
        windows.number_source,
        windows.aggregation_level,
        case when windows.aggregation_level = 'company' then null else windows.family_key end as master_family,
        case when windows.aggregation_level = 'sku' then windows.sku_key end as master_sku,
        classes.demand_class,
        windows.lag,
        windows.cycle,
        windows.n_cycles,
        windows.n_sku_periods,
        cast(windows.actual_units as double) as actual_units,
        cast(windows.forecast_units as double) as forecast_units,
        cast(windows.abs_error_units as double) as abs_error_units,
        cast(windows.abs_error_units / nullif(windows.actual_units, 0) as double) as wape,
        cast(windows.netted_abs_error_units / nullif(windows.actual_units, 0) as double) as netted_wape,
        cast(windows.ape_sum / nullif(windows.n_ape, 0) as double) as mape,
        windows.n_zero_actual as mape_excluded_periods,
        cast(scaled_levels.mase as double) as mase,
        cast(scaled_levels.rmsse as double) as rmsse,
        cast(windows.error_units as double) as bias_units,
        cast(windows.error_units / nullif(windows.actual_units, 0) as double) as bias_pct,
        case when windows.aggregation_level = 'sku' then cast(windows.tracking_signal as double) end
            as tracking_signal,
        windows.n_tracking_flagged as n_tracking_signal_flagged,
        cast(windows.abs_error_value / nullif(windows.actual_value, 0) as double) as revenue_weighted_error,
        cast(windows.abs_error_value as double) as abs_error_value,
        cast(windows.actual_value as double) as actual_value,
        cast(windows.n_interval_periods as bigint) as n_interval_periods,
        cast(windows.n_within_80 / nullif(windows.n_interval_periods, 0) as double) as coverage_80,
        cast(windows.n_within_95 / nullif(windows.n_interval_periods, 0) as double) as coverage_95,
        case
            when windows.aggregation_level != 'sku' then 'wape'
            when classes.demand_class in ('intermittent', 'lumpy', 'inactive', 'eol') then 'rmsse'
            else 'wape'
        end as primary_metric

    from windows
    left join scaled_levels
        on windows.evaluation = scaled_levels.evaluation
            and windows.number_source = scaled_levels.number_source
            and windows.lag = scaled_levels.lag
            and windows.aggregation_level = scaled_levels.aggregation_level
            and windows.family_key = scaled_levels.family_key
            and windows.sku_key = scaled_levels.sku_key
            and windows.cycle = scaled_levels.cycle
    left join classes
        on windows.aggregation_level = 'sku'
            and windows.sku_key = classes.master_sku

)

select
    final.*,
    case final.primary_metric when 'rmsse' then final.rmsse else final.wape end as primary_error,
    concat_ws(
        '|', final.evaluation, final.number_source, final.aggregation_level,
        coalesce(final.master_family, '(all)'), coalesce(final.master_sku, '(all)'), final.lag, final.cycle
    ) as accuracy_key
from final
