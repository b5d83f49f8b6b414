{#- The executive summary's service tile (rpt_executive_kpis): the share of the planned
    units the capacity can make over the horizon (fct_constrained_plan), no comparison. -#}
with

constrained as (

    select * from {{ ref('fct_constrained_plan') }}

),

service as (

    select sum(constrained.constrained_units) / nullif(sum(constrained.plan_units), 0) as fill_rate
    from constrained

),

tile as (

    select
        5 as kpi_rank,
        'service' as kpi,
        'Service (plan fill rate)' as label,
        'share' as unit,
        'planned units the capacity can make, over the horizon' as scope,
        service.fill_rate as value,
        cast(null as double) as budget_value,
        cast(null as double) as change_vs_budget,
        cast(null as double) as last_cycle_value,
        cast(null as double) as change_vs_last_cycle,
        cast(null as double) as last_year_value,
        cast(null as double) as change_vs_last_year,
        true as higher_is_better,
        'fct_constrained_plan' as source_mart

    from service

)

select * from tile
