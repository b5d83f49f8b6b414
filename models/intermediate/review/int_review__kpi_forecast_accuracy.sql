{#- The executive summary's forecast accuracy tile (rpt_executive_kpis): 1 - WAPE of the
    consensus plan at lag 1 in the last closed period (fct_forecast_errors, published);
    budget = the target (var forecast_accuracy_target); last cycle: the period before; last
    year: the same fiscal period a year earlier, when it was scored. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

errors as (

    select * from {{ ref('fct_forecast_errors') }}
    where evaluation = 'published' and number_source = 'consensus' and lag = 1

),

accuracy_by_period as (

    select
        errors.period_id,
        1 - sum(errors.abs_error_units) / nullif(sum(errors.actual_units), 0) as accuracy

    from errors
    group by errors.period_id

),

accuracy as (

    select
        max(this_period.accuracy) as accuracy,
        max(period_before.accuracy) as accuracy_last_cycle,
        max(a_year_ago.accuracy) as accuracy_last_year

    from cycle
    inner join periods as closed on cycle.last_closed_period_id = closed.period_id
    left join accuracy_by_period as this_period on closed.period_id = this_period.period_id
    left join periods as before_closed on closed.period_seq - 1 = before_closed.period_seq
    left join accuracy_by_period as period_before on before_closed.period_id = period_before.period_id
    left join periods as year_ago
        on closed.fiscal_period = year_ago.fiscal_period
            and closed.fiscal_year - 1 = year_ago.fiscal_year
    left join accuracy_by_period as a_year_ago on year_ago.period_id = a_year_ago.period_id

),

tile as (

    select
        6 as kpi_rank,
        'forecast_accuracy' as kpi,
        'Forecast accuracy' as label,
        'share' as unit,
        '1 - WAPE, consensus at lag 1, last closed period' as scope,
        accuracy.accuracy as value,
        cast({{ var('forecast_accuracy_target') }} as double) as budget_value,
        accuracy.accuracy - cast({{ var('forecast_accuracy_target') }} as double) as change_vs_budget,
        accuracy.accuracy_last_cycle as last_cycle_value,
        accuracy.accuracy - accuracy.accuracy_last_cycle as change_vs_last_cycle,
        accuracy.accuracy_last_year as last_year_value,
        accuracy.accuracy - accuracy.accuracy_last_year as change_vs_last_year,
        true as higher_is_better,
        'fct_forecast_errors' as source_mart

    from accuracy

)

select * from tile
