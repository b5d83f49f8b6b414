{#- The executive summary's inventory value tile (rpt_executive_kpis): projected stock at
    standard cost at the end of the next period (fct_finance_plan, a stock, not a sum), in
    the reporting currency; last year: the stock on hand a year before that period's end
    (the latest erp/inventory snapshot on or before it, at today's cost). No budget or
    last cycle. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

finance as (

    select * from {{ ref('fct_finance_plan') }}

),

snapshots as (

    select * from {{ ref('int_inventory_snapshots_checked') }}
    where quarantine_rule is null

),

skus as (

    select * from {{ ref('dim_skus') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

sku_costs as (

    select
        skus.master_sku,
        cast(coalesce(skus.std_cost, 0) * fx_rates.rate_to_reporting as double) as unit_cost

    from skus
    left join fx_rates on coalesce(skus.currency, '{{ var("reporting_currency") }}') = fx_rates.currency

),

next_period as (

    select sum(finance.inventory_value) filter (where finance.horizon_step = 1) as inventory_value
    from finance

),

first_period as (

    select periods.period_end
    from periods
    inner join cycle on periods.period_seq = cycle.cycle_period_seq

),

stock_a_year_ago as (

    select sum(snapshots.on_hand_eaches * sku_costs.unit_cost) as inventory_value
    from snapshots
    cross join first_period
    left join sku_costs on snapshots.master_sku = sku_costs.master_sku
    where snapshots.snapshot_date = (
            select max(earlier.snapshot_date)
            from snapshots as earlier
            where earlier.snapshot_date <= first_period.period_end - interval 1 year
        )
    having count(*) > 0

),

tile as (

    select
        4 as kpi_rank,
        'inventory_value' as kpi,
        'Inventory value' as label,
        'money' as unit,
        'end of the next period, at standard cost' as scope,
        next_period.inventory_value as value,
        cast(null as double) as budget_value,
        cast(null as double) as change_vs_budget,
        cast(null as double) as last_cycle_value,
        cast(null as double) as change_vs_last_cycle,
        stock_a_year_ago.inventory_value as last_year_value,
        next_period.inventory_value - stock_a_year_ago.inventory_value as change_vs_last_year,
        false as higher_is_better,
        'fct_finance_plan' as source_mart

    from next_period
    left join stock_a_year_ago on true

)

select * from tile
