{#- The previous cycle's consensus plan, per master SKU and period, as archived when that
    cycle was published (fct_consensus_plan_archive): what this cycle's plan is compared
    with ("vs last cycle"). Empty when the previous cycle was not published. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

archive as (

    select * from {{ ref('fct_consensus_plan_archive') }}

),

previous_cycle as (

    select periods.period_id as cycle
    from periods
    cross join cycle
    where periods.period_seq = cycle.cycle_period_seq - 1

),

final as (

    select
        archive.cycle,
        archive.master_sku,
        archive.master_family,
        archive.period_id,
        archive.consensus_units

    from archive
    inner join previous_cycle on archive.cycle = previous_cycle.cycle

)

select * from final
