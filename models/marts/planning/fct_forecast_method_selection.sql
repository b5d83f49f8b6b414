{#- Why each family uses the method it uses: every candidate's backtest score per family
    and demand segment, its rank, the winner and the reason, planner pins included. -#}
with

selection as (

    select * from {{ ref('int_forecast_method_selection') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

)

select
    cycle.cycle,
    selection.master_family,
    selection.segment,
    selection.forecast_level,
    selection.candidate,
    selection.members,
    nullif(selection.metric, '') as metric,
    round(selection.score, 6) as score,
    round(selection.score_promoted, 6) as score_promoted,
    round(selection.bias_pct, 6) as bias_pct,
    round(selection.wape, 6) as wape,
    round(selection.mase, 6) as mase,
    selection.n_series,
    selection.n_series_total,
    selection.n_promoted_series,
    selection.n_windows,
    selection.h,
    selection.step_size,
    selection.rank,
    selection.is_selected,
    selection.pinned,
    selection.selection_reason

from selection
cross join cycle
