{#- Scaled errors behind fct_forecast_accuracy: MASE and RMSSE per evaluation (published
    plans or backtests), number, lag, level (sku, family, company) and cycle, and pooled
    over every scored cycle (cycle = 'all'). A SKU's values come from its errors in
    fct_forecast_errors, scaled by its in-sample naive error (scale_mae, scale_mse); a
    family's or the company's are the mean of their SKUs' values. `family_key` and `sku_key`
    are '(all)' above their level. -#}
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

sku_scaled_per_cycle as (

    select
        evaluation,
        number_source,
        lag,
        master_sku,
        master_family,
        cycle,
        avg(abs_error_units / scale_mae) filter (where scale_mae > 0) as mase,
        sqrt(avg(squared_error / scale_mse) filter (where scale_mse > 0)) as rmsse

    from errors
    group by evaluation, number_source, lag, master_sku, master_family, cycle

),

sku_scaled_pooled as (

    select
        evaluation,
        number_source,
        lag,
        master_sku,
        master_family,
        'all' as cycle,
        avg(abs_error_units / scale_mae) filter (where scale_mae > 0) as mase,
        sqrt(avg(squared_error / scale_mse) filter (where scale_mse > 0)) as rmsse

    from errors
    group by evaluation, number_source, lag, master_sku, master_family

),

sku_scaled as (

    select * from sku_scaled_per_cycle
    union all
    select * from sku_scaled_pooled

),

final as (

    select
        sku_scaled.evaluation,
        sku_scaled.number_source,
        sku_scaled.lag,
        levels.aggregation_level,
        case when levels.aggregation_level = 'company' then '(all)' else sku_scaled.master_family end as family_key,
        case when levels.aggregation_level = 'sku' then sku_scaled.master_sku else '(all)' end as sku_key,
        sku_scaled.cycle,
        avg(sku_scaled.mase) as mase,
        avg(sku_scaled.rmsse) as rmsse

    from sku_scaled
    cross join levels
    group by all

)

select * from final
