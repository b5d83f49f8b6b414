{#- Every number in the room scored the same way, per family (and the company) and lag,
    over every published cycle: the statistical baseline, sales' and operations' forecasts,
    the finance budget (converted to units), naive and seasonal naive. All are scored on the
    SKU-periods the statistical baseline was published for.

    `wape` is built from SKU errors (null for the budget, which has no SKU split);
    `total_wape` is the error of the family's (company's) total per period, where SKU
    errors cancel: the only figure the budget can have, shown for every number so the two
    can be compared. Forecast value added (FVA) is the reference's error minus this
    number's (positive = this number is better): against naive and against the statistical
    baseline, on WAPE, total WAPE and RMSSE (RMSSE is the fair one for intermittent
    families, where WAPE rewards forecasting zero). -#}
with

accuracy as (

    select * from {{ ref('fct_forecast_accuracy') }}
    where evaluation = 'published' and cycle = 'all' and aggregation_level in ('family', 'company')

),

errors as (

    select * from {{ ref('fct_forecast_errors') }}
    where evaluation = 'published' and number_source = 'statistical_baseline'

),

budget as (

    select * from {{ ref('int_budget_units_by_family_period') }}

),

sku_numbers as (

    select
        number_source,
        aggregation_level,
        coalesce(master_family, '(all)') as master_family,
        lag,
        n_cycles,
        'sku' as granularity,
        actual_units,
        forecast_units,
        wape,
        netted_wape as total_wape,
        mape,
        mase,
        rmsse,
        bias_units,
        bias_pct,
        revenue_weighted_error

    from accuracy

),

family_actuals as (

    select
        errors.master_family,
        errors.cycle,
        errors.lag,
        errors.period_id,
        sum(errors.actual_units) as actual_units

    from errors
    group by errors.master_family, errors.cycle, errors.lag, errors.period_id

),

budget_vs_actual as (

    select
        family_actuals.master_family,
        family_actuals.cycle,
        family_actuals.lag,
        family_actuals.actual_units,
        budget.budget_units as forecast_units

    from family_actuals
    inner join budget
        on family_actuals.master_family = budget.master_family
            and family_actuals.period_id = budget.period_id

),

budget_levels as (

    select
        'family' as aggregation_level,
        master_family,
        cycle,
        lag,
        actual_units,
        forecast_units

    from budget_vs_actual

    union all

    select
        'company',
        '(all)',
        cycle,
        lag,
        sum(actual_units),
        sum(forecast_units)

    from budget_vs_actual
    group by cycle, lag

),

budget_numbers as (

    select
        'finance_budget' as number_source,
        aggregation_level,
        master_family,
        lag,
        count(*) as n_cycles,
        'family' as granularity,
        cast(sum(actual_units) as double) as actual_units,
        cast(sum(forecast_units) as double) as forecast_units,
        cast(null as double) as wape,
        cast(sum(abs(forecast_units - actual_units)) / nullif(sum(actual_units), 0) as double) as total_wape,
        cast(null as double) as mape,
        cast(null as double) as mase,
        cast(null as double) as rmsse,
        cast(sum(forecast_units - actual_units) as double) as bias_units,
        cast(sum(forecast_units - actual_units) / nullif(sum(actual_units), 0) as double) as bias_pct,
        cast(null as double) as revenue_weighted_error

    from budget_levels
    group by aggregation_level, master_family, lag

),

numbers as (

    select * from sku_numbers
    union all
    select * from budget_numbers

),

final as (

    select
        numbers.*,
        naive.wape - numbers.wape as fva_wape_vs_naive,
        baseline.wape - numbers.wape as fva_wape_vs_baseline,
        naive.total_wape - numbers.total_wape as fva_total_wape_vs_naive,
        baseline.total_wape - numbers.total_wape as fva_total_wape_vs_baseline,
        naive.rmsse - numbers.rmsse as fva_rmsse_vs_naive,
        baseline.rmsse - numbers.rmsse as fva_rmsse_vs_baseline

    from numbers
    left join sku_numbers as naive
        on naive.number_source = 'naive'
            and numbers.master_family = naive.master_family
            and numbers.lag = naive.lag
    left join sku_numbers as baseline
        on baseline.number_source = 'statistical_baseline'
            and numbers.master_family = baseline.master_family
            and numbers.lag = baseline.lag

)

select * from final
