{#- The forecast of the forecasting run: one row per master SKU and future period_seq. -#}
with

outputs as (

    select * from {{ ref('int_forecast_outputs') }}
    where output = 'forecast'

)

select
    master_sku,
    master_family,
    demand_class,
    period_seq,
    forecast,
    lo_80,
    hi_80,
    lo_95,
    hi_95,
    method

from outputs
