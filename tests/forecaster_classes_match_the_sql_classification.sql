{#- One rule, two implementations: the forecaster (sop_analytics.forecasting, run by
    int_forecast_outputs) classifies each SKU to pick the segment its method is selected
    for; the SQL model int_skus_classified classifies it for the marts. They read the same
    vars (adi_cutoff, cv2_cutoff, min_history_periods, inactive_periods), so on any data and
    any vars they must give every SKU the same class, but for `eol` (a lifecycle status the
    forecaster does not see: it forecasts an eol SKU by its demand). Fails with one row per
    SKU they disagree on. -#}
with

forecaster as (

    select distinct
        master_sku,
        demand_class
    from {{ ref('int_demand_forecast') }}

),

classified as (

    select * from {{ ref('int_skus_classified') }}

)

select
    forecaster.master_sku,
    forecaster.demand_class as forecaster_class,
    classified.demand_class as sql_class,
    classified.adi,
    classified.cv2,
    classified.n_periods

from forecaster
left join classified on forecaster.master_sku = classified.master_sku
where
    classified.demand_class is distinct from 'eol'
    and forecaster.demand_class is distinct from classified.demand_class
