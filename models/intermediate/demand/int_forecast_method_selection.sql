{#- The backtest selection table of the forecasting run: one row per family, demand
    segment and candidate method. -#}
with

outputs as (

    select * from {{ ref('int_forecast_outputs') }}
    where output = 'selection'

)

select
    master_family,
    segment,
    forecast_level,
    candidate,
    members,
    metric,
    score,
    score_promoted,
    bias_pct,
    wape,
    mase,
    n_series,
    n_series_total,
    n_promoted_series,
    n_windows,
    h,
    step_size,
    rank,
    is_selected,
    pinned,
    selection_reason

from outputs
