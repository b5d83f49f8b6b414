{#- The three numbers side by side, in eaches, per family and planning period: sales'
    forecast (CRM), operations' forecast (ERP, converted from the item's unit of measure)
    and finance's budget (GL money, converted to units at the family's realized price over
    the 12 closed periods before the cycle, int_budgets_by_family_period). The forecasts are the build
    cycle's in int_functional_forecasts_by_period (the latest submission before the as-of
    date, spread evenly over its month's days, summed into planning periods); budgets are
    spread over their fiscal period's days. A number that does not cover every day of a
    period is `partial` there and is not compared. An absent source is `source_absent`. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

functional_forecasts as (

    select
        functional.number_source,
        functional.master_family,
        functional.period_id,
        functional.month_start,
        sum(cast(functional.units_per_day as decimal(38, 10)) * functional.days_covered) as units,
        any_value(functional.days_covered) as days_covered

    from {{ ref('int_functional_forecasts_by_period') }} as functional
    inner join cycle on functional.cycle = cycle.cycle
    group by functional.number_source, functional.master_family, functional.period_id, functional.month_start

),

families as (

    select distinct master_family
    from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp' and master_family is not null

),

family_prices as (

    select * from {{ ref('int_family_prices') }}

),

budgets as (

    select * from {{ ref('int_budgets_by_family_period') }}

),

landing_files as (

    select * from {{ ref('stg_landing__files') }}

),

per_period as (

    select
        number_source,
        master_family,
        period_id,
        sum(units) as units,
        null as revenue,
        sum(days_covered) as days_covered

    from functional_forecasts
    group by number_source, master_family, period_id

    union all

    select
        number_source,
        master_family,
        period_id,
        units,
        revenue,
        days_covered

    from budgets

),

sources_present as (

    select
        count(*) filter (where source_system = 'crm' and entity = 'sales_forecast' and status = 'present') > 0 as has_sales,
        count(*) filter (where source_system = 'erp' and entity = 'ops_forecast' and status = 'present') > 0 as has_operations,
        count(*) filter (where source_system = 'gl' and entity = 'budget' and status = 'present') > 0 as has_finance

    from landing_files

),

grid as (

    select distinct
        per_period.master_family,
        per_period.period_id

    from per_period
    inner join families on per_period.master_family = families.master_family

),

side_by_side as (

    select
        grid.master_family,
        grid.period_id,
        periods.period_start,
        periods.period_end,
        cast(sales.units as double) as sales_units,
        cast(operations.units as double) as operations_units,
        cast(finance.units as double) as finance_units,
        cast(finance.revenue as double) as finance_revenue,
        cast(family_prices.family_price as double) as family_price,
        case
            when not sources_present.has_sales then 'source_absent'
            when sales.days_covered = periods.n_days then 'covered'
            when sales.days_covered > 0 then 'partial'
            else 'missing'
        end as sales_status,
        case
            when not sources_present.has_operations then 'source_absent'
            when operations.days_covered = periods.n_days then 'covered'
            when operations.days_covered > 0 then 'partial'
            else 'missing'
        end as operations_status,
        case
            when not sources_present.has_finance then 'source_absent'
            when family_prices.family_price is null then 'no_price_to_convert'
            when finance.days_covered = periods.n_days then 'covered'
            when finance.days_covered > 0 then 'partial'
            else 'missing'
        end as finance_status

    from grid
    cross join sources_present
    inner join periods on grid.period_id = periods.period_id
    left join per_period as sales
        on sales.number_source = 'sales'
            and grid.master_family = sales.master_family
            and grid.period_id = sales.period_id
    left join per_period as operations
        on operations.number_source = 'operations'
            and grid.master_family = operations.master_family
            and grid.period_id = operations.period_id
    left join per_period as finance
        on finance.number_source = 'finance'
            and grid.master_family = finance.master_family
            and grid.period_id = finance.period_id
    left join family_prices on grid.master_family = family_prices.master_family

)

select * from side_by_side
