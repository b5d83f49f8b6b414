{#- The plan in money, per family and horizon period of the cycle, in the reporting
    currency (var reporting_currency, default USD). Standard costs are converted from the
    item's currency with seeds/fx_rates.csv and `currency_conversion` states the rates used
    (a currency without a rate gives null money and says so); prices are the realized order
    prices, taken to be in the reporting currency:
    - revenue = consensus plan x the SKU's price (dim_skus.unit_price: realized order price);
    - cogs = consensus plan x standard cost x rate; margin = revenue - cogs;
    - inventory value = projected closing stock (not below zero) x standard cost;
    - receivables = revenue x var dso_days (default 45) / days in the period;
    - payables = cogs x var dpo_days (default 60) / days in the period;
    - working capital = inventory + receivables - payables;
    - cash impact = margin - the change in working capital from the previous period (the
      first period against the opening stock's value and receivables/payables of the same
      period's run rate);
    - against the previous cycle's consensus plan (same periods, same prices) and against
      the GL budget's revenue. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

previous as (

    select * from {{ ref('int_previous_cycle_consensus') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

budget as (

    select * from {{ ref('int_budget_units_by_family_period') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

sku_money as (

    select
        plan.master_family,
        plan.period_id,
        plan.horizon_step,
        plan.consensus_units,
        plan.consensus_units * coalesce(skus.unit_price, 0) as revenue,
        plan.consensus_units * coalesce(skus.std_cost, 0) * fx_rates.rate_to_reporting as cogs,
        greatest(inventory.closing_units, 0) * coalesce(skus.std_cost, 0) * fx_rates.rate_to_reporting
            as inventory_value,
        coalesce(skus.currency, '{{ var("reporting_currency") }}') || case
            when fx_rates.rate_to_reporting is null then ': no rate in seeds/fx_rates.csv'
            else ' at ' || fx_rates.rate_to_reporting
        end as conversion,
        coalesce(previous.consensus_units, 0) * coalesce(skus.unit_price, 0) as previous_revenue,
        previous.master_sku is not null as in_previous_plan

    from plan
    left join skus on plan.master_sku = skus.master_sku
    left join fx_rates on coalesce(skus.currency, '{{ var("reporting_currency") }}') = fx_rates.currency
    left join inventory
        on plan.master_sku = inventory.master_sku
            and plan.period_id = inventory.period_id
    left join previous
        on plan.master_sku = previous.master_sku
            and plan.period_id = previous.period_id

),

family_money as (

    select
        sku_money.master_family,
        sku_money.period_id,
        any_value(sku_money.horizon_step) as horizon_step,
        sum(sku_money.consensus_units) as plan_units,
        sum(sku_money.revenue) as revenue,
        sum(sku_money.cogs) as cogs,
        sum(sku_money.inventory_value) as inventory_value,
        sum(sku_money.previous_revenue) as previous_cycle_revenue,
        string_agg(distinct sku_money.conversion, '; ' order by sku_money.conversion) as conversion,
        bool_or(sku_money.in_previous_plan) as has_previous_plan

    from sku_money
    group by sku_money.master_family, sku_money.period_id

),

working_capital as (

    select
        family_money.*,
        periods.period_start,
        periods.n_days,
        family_money.revenue * {{ var('dso_days') }} / periods.n_days as receivables,
        family_money.cogs * {{ var('dpo_days') }} / periods.n_days as payables,
        family_money.inventory_value
        + family_money.revenue * {{ var('dso_days') }} / periods.n_days
        - family_money.cogs * {{ var('dpo_days') }} / periods.n_days as working_capital

    from family_money
    inner join periods on family_money.period_id = periods.period_id

),

final as (

    select
        cycle.cycle,
        working_capital.master_family,
        working_capital.period_id,
        working_capital.period_start,
        working_capital.horizon_step,
        '{{ var("reporting_currency") }}' as currency,
        'costs to {{ var("reporting_currency") }}: ' || working_capital.conversion
        || ' (seeds/fx_rates.csv); prices as ordered' as currency_conversion,
        cast(working_capital.plan_units as double) as plan_units,
        cast(working_capital.revenue as double) as revenue,
        cast(working_capital.cogs as double) as cogs,
        cast(working_capital.revenue - working_capital.cogs as double) as margin,
        cast((working_capital.revenue - working_capital.cogs) / nullif(working_capital.revenue, 0) as double)
            as margin_pct,
        cast(working_capital.inventory_value as double) as inventory_value,
        cast(working_capital.receivables as double) as receivables,
        cast(working_capital.payables as double) as payables,
        cast(working_capital.working_capital as double) as working_capital,
        cast(
            working_capital.revenue - working_capital.cogs
            - (working_capital.working_capital - lag(working_capital.working_capital) over family_periods)
            as double
        ) as cash_impact,
        case when working_capital.has_previous_plan then cast(working_capital.previous_cycle_revenue as double) end
            as previous_cycle_revenue,
        case when working_capital.has_previous_plan
                then cast(working_capital.revenue - working_capital.previous_cycle_revenue as double)
        end as revenue_change_vs_previous_cycle,
        cast(budget.budget_revenue as double) as budget_revenue,
        cast(working_capital.revenue - budget.budget_revenue as double) as revenue_vs_budget

    from working_capital
    cross join cycle
    left join budget
        on working_capital.master_family = budget.master_family
            and working_capital.period_id = budget.period_id
    window family_periods as (partition by working_capital.master_family order by working_capital.horizon_step)

)

select * from final
