{#- The executive summary's tiles of the plan's money over the horizon, in the reporting
    currency (rpt_executive_kpis):
    - revenue, margin: the consensus plan x price (and - standard cost), fct_finance_plan;
      budget: the GL budget's revenue for the same periods (margin has no budget in the GL
      extract: empty); last cycle: the previous cycle's consensus for the periods both
      plan, at the same prices and costs (int_previous_cycle_consensus); last year: GL
      revenue of the same fiscal periods a year earlier (int_revenue_compared_erp_gl, the
      Week 0 comparison; the GL extract has no cost, so margin's last year is empty);
    - cash: the plan's cash impact over the horizon (fct_finance_plan), no comparison.
    One row per tile; a comparison without a base stays empty (null). -#}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

finance as (

    select * from {{ ref('fct_finance_plan') }}

),

history as (

    select
        subject as master_family,
        period_id,
        right_value as gl_revenue

    from {{ ref('int_revenue_compared_erp_gl') }}
    where comparison = 'erp_shipments_vs_gl_revenue' and subject_type = 'family'

),

previous as (

    select * from {{ ref('int_previous_cycle_consensus') }}

),

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

sku_money as (

    select
        skus.master_sku,
        cast(coalesce(skus.unit_price, 0) as double) as unit_price,
        cast(coalesce(skus.std_cost, 0) * fx_rates.rate_to_reporting as double) as unit_cost

    from skus
    left join fx_rates on coalesce(skus.currency, '{{ var("reporting_currency") }}') = fx_rates.currency

),

horizon as (

    select
        sum(finance.revenue) as revenue,
        sum(finance.margin) as margin,
        sum(finance.cash_impact) as cash,
        sum(finance.budget_revenue) as budget_revenue,
        sum(finance.revenue) filter (where finance.budget_revenue is not null) as revenue_with_budget

    from finance

),

previous_money as (

    select
        sum(previous.consensus_units * sku_money.unit_price) as revenue,
        sum(previous.consensus_units * (sku_money.unit_price - sku_money.unit_cost)) as margin,
        sum(plan.consensus_units * sku_money.unit_price) as current_revenue,
        sum(plan.consensus_units * (sku_money.unit_price - sku_money.unit_cost)) as current_margin

    from previous
    inner join plan
        on previous.master_sku = plan.master_sku
            and previous.period_id = plan.period_id
    left join sku_money on previous.master_sku = sku_money.master_sku

),

last_year as (

    select sum(history.gl_revenue) as revenue
    from finance
    inner join periods as this_year on finance.period_id = this_year.period_id
    inner join periods as a_year_ago
        on this_year.fiscal_period = a_year_ago.fiscal_period
            and this_year.fiscal_year - 1 = a_year_ago.fiscal_year
    inner join history
        on finance.master_family = history.master_family
            and a_year_ago.period_id = history.period_id
    having count(*) > 0

),

tiles as (

    select
        1 as kpi_rank,
        'revenue' as kpi,
        'Revenue' as label,
        'money' as unit,
        'plan over the horizon' as scope,
        horizon.revenue as value,
        horizon.budget_revenue as budget_value,
        horizon.revenue_with_budget - horizon.budget_revenue as change_vs_budget,
        previous_money.revenue as last_cycle_value,
        previous_money.current_revenue - previous_money.revenue as change_vs_last_cycle,
        last_year.revenue as last_year_value,
        horizon.revenue - last_year.revenue as change_vs_last_year,
        true as higher_is_better,
        'fct_finance_plan' as source_mart

    from horizon
    cross join previous_money
    left join last_year on true

    union all

    select
        2 as kpi_rank,
        'margin' as kpi,
        'Margin' as label,
        'money' as unit,
        'plan over the horizon' as scope,
        horizon.margin as value,
        null,
        null,
        previous_money.margin,
        previous_money.current_margin - previous_money.margin,
        null,
        null,
        true,
        'fct_finance_plan'

    from horizon
    cross join previous_money

    union all

    select
        3,
        'cash',
        'Cash impact',
        'money',
        'plan over the horizon',
        horizon.cash,
        null,
        null,
        null,
        null,
        null,
        null,
        true,
        'fct_finance_plan'

    from horizon

)

select * from tiles
