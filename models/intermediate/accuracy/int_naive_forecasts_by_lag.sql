{#- The naive baselines every published number is compared with, for every cycle in the
    plan archive, master SKU and target period at lags 1..var('accuracy_max_lag'):
    - naive: the last closed period's demand (the period before the cycle), for every lag;
    - seasonal_naive: the demand of the same period one year (12 periods) earlier, so a SKU
      needs a year of history to have one.
    Every SKU with demand history gets them; int_forecasts_by_lag keeps the SKU-periods the
    statistical baseline was published for. -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

evaluation_cycles as (

    select distinct
        archive.cycle,
        periods.period_seq as cycle_seq

    from archive
    inner join periods on archive.cycle = periods.period_id

),

targets as (

    select
        evaluation_cycles.cycle,
        evaluation_cycles.cycle_seq,
        periods.period_id,
        periods.period_seq,
        periods.period_seq - evaluation_cycles.cycle_seq + 1 as lag

    from evaluation_cycles
    inner join periods
        on periods.period_seq between evaluation_cycles.cycle_seq
            and evaluation_cycles.cycle_seq + {{ max_lag }} - 1

),

naive as (

    select
        'naive' as number_source,
        targets.cycle,
        history.master_sku,
        targets.period_id,
        targets.lag,
        cast(history.demand_units as double) as forecast_units

    from targets
    inner join history on targets.cycle_seq - 1 = history.period_seq

),

seasonal_naive as (

    select
        'seasonal_naive' as number_source,
        targets.cycle,
        history.master_sku,
        targets.period_id,
        targets.lag,
        cast(history.demand_units as double) as forecast_units

    from targets
    inner join history on targets.period_seq - 12 = history.period_seq

),

final as (

    select * from naive
    union all
    select * from seasonal_naive

)

select * from final
