{#- The sales and operations forecasts as numbers to score, for every cycle in the plan
    archive, master SKU and target period at lags 1..var('accuracy_max_lag'): the latest
    crm/sales_forecast and erp/ops_forecast submission made before the cycle's as-of date,
    spread over its month's days and summed into planning periods, in double
    (int_functional_forecasts_by_period). A period the submissions do not cover every day
    of is left out. They are scored on the SKU-periods the statistical baseline was published
    for in the cycle; when a cycle has a submission of the number at all, a SKU without a
    row in it was forecast at zero. -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

functional_forecasts as (

    select * from {{ ref('int_functional_forecasts_by_period') }}

),

baseline as (

    select
        archive.cycle,
        archive.master_sku,
        archive.period_id

    from archive
    where archive.horizon_step <= {{ max_lag }}

),

by_month as (

    select
        functional_forecasts.number_source,
        functional_forecasts.cycle,
        functional_forecasts.master_sku,
        functional_forecasts.period_id,
        functional_forecasts.month_start,
        targets.n_days,
        sum(functional_forecasts.forecast_units) as forecast_units,
        any_value(functional_forecasts.days_covered) as days_covered

    from functional_forecasts
    inner join periods as targets on functional_forecasts.period_id = targets.period_id
    where targets.period_seq - functional_forecasts.cycle_seq between 0 and {{ max_lag }} - 1
    group by all

),

functional as (

    select
        by_month.number_source,
        by_month.cycle,
        by_month.master_sku,
        by_month.period_id,
        sum(by_month.forecast_units) as forecast_units

    from by_month
    group by by_month.number_source, by_month.cycle, by_month.master_sku, by_month.period_id, by_month.n_days
    having sum(by_month.days_covered) = by_month.n_days

),

functional_sources as (

    select distinct
        functional.number_source,
        functional.cycle

    from functional

),

final as (

    select
        functional_sources.number_source,
        functional_sources.cycle,
        baseline.master_sku,
        baseline.period_id,
        coalesce(functional.forecast_units, 0.0) as forecast_units

    from baseline
    inner join functional_sources on baseline.cycle = functional_sources.cycle
    left join functional
        on functional_sources.number_source = functional.number_source
            and baseline.cycle = functional.cycle
            and baseline.master_sku = functional.master_sku
            and baseline.period_id = functional.period_id

)

select * from final
