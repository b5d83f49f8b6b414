{#- The rolling-origin backtest of the forecasting run: the selected method's forecast
    per master SKU, backtest cutoff and period_seq, beside the actual demand. Only SKU-level
    family segments whose selected method was backtested have rows. -#}
with

outputs as (

    select * from {{ ref('int_forecast_outputs') }}
    where output = 'backtest'

)

select
    master_sku,
    master_family,
    segment,
    cutoff_seq,
    period_seq,
    period_seq - cutoff_seq as lag,
    actual_units,
    greatest(forecast, 0) as forecast_units,
    method

from outputs
