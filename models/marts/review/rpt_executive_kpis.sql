{#- The pack's executive summary: one row per KPI tile with its value and its change
    against the budget, the last cycle and the last year, and the direction of each change.
    Money in the reporting currency, over the cycle's horizon unless said:
    - revenue, margin: the consensus plan x price (and - standard cost), fct_finance_plan;
      budget: the GL budget's revenue for the same periods (margin has no budget in the GL
      extract: empty); last cycle: the previous cycle's consensus for the periods both
      plan, at the same prices and costs (int_previous_cycle_consensus); last year: GL
      revenue of the same fiscal periods a year earlier (int_revenue_compared_erp_gl, the
      Week 0 comparison; the GL extract has no cost, so margin's last year is empty);
    - cash: the plan's cash impact over the horizon (fct_finance_plan), no comparison;
    - inventory value: projected stock at standard cost at the end of the next period
      (fct_finance_plan, a stock, not a sum); last year: the stock on hand a year before
      that period's end (the latest erp/inventory snapshot on or before it, at today's cost);
    - service: the share of the planned units the capacity can make over the horizon
      (fct_constrained_plan);
    - forecast accuracy: 1 - WAPE of the consensus plan at lag 1 in the last closed period
      (fct_forecast_errors, published); budget = the target (var forecast_accuracy_target,
      default 0.75); last cycle: the period before; last year: the same fiscal period a year
      earlier, when it was scored.
    A comparison without a base stays empty (null), never 0. Direction: `up`, `down` or
    `flat` (within 0.5% of the base); higher_is_better says which is good. -#}
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

constrained as (

    select * from {{ ref('fct_constrained_plan') }}

),

errors as (

    select * from {{ ref('fct_forecast_errors') }}
    where evaluation = 'published' and number_source = 'consensus' and lag = 1

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
        sum(finance.revenue) filter (where finance.budget_revenue is not null) as revenue_with_budget,
        sum(finance.inventory_value) filter (where finance.horizon_step = 1) as inventory_value

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

first_period as (

    select periods.period_end
    from periods
    inner join cycle on periods.period_seq = cycle.cycle_period_seq

),

stock_a_year_ago as (

    select sum(snapshots.on_hand_eaches * sku_money.unit_cost) as inventory_value
    from snapshots
    cross join first_period
    left join sku_money on snapshots.master_sku = sku_money.master_sku
    where snapshots.snapshot_date = (
            select max(earlier.snapshot_date)
            from snapshots as earlier
            where earlier.snapshot_date <= first_period.period_end - interval 1 year
        )
    having count(*) > 0

),

service as (

    select sum(constrained.constrained_units) / nullif(sum(constrained.plan_units), 0) as fill_rate
    from constrained

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

    union all

    select
        4 as kpi_rank,
        'inventory_value' as kpi,
        'Inventory value' as label,
        'money' as unit,
        'end of the next period, at standard cost' as scope,
        horizon.inventory_value as value,
        null,
        null,
        null,
        null,
        stock_a_year_ago.inventory_value,
        horizon.inventory_value - stock_a_year_ago.inventory_value,
        false,
        'fct_finance_plan'

    from horizon
    left join stock_a_year_ago on true

    union all

    select
        5,
        'service',
        'Service (plan fill rate)',
        'share',
        'planned units the capacity can make, over the horizon',
        service.fill_rate,
        null,
        null,
        null,
        null,
        null,
        null,
        true,
        'fct_constrained_plan'

    from service

    union all

    select
        6,
        'forecast_accuracy',
        'Forecast accuracy',
        'share',
        '1 - WAPE, consensus at lag 1, last closed period',
        accuracy.accuracy,
        {{ var('forecast_accuracy_target') }},
        accuracy.accuracy - {{ var('forecast_accuracy_target') }},
        accuracy.accuracy_last_cycle,
        accuracy.accuracy - accuracy.accuracy_last_cycle,
        accuracy.accuracy_last_year,
        accuracy.accuracy - accuracy.accuracy_last_year,
        true,
        'fct_forecast_errors'

    from accuracy

),

final as (

    select
        cycle.cycle,
        cycle.as_of_date,
        cast(tiles.kpi_rank as bigint) as kpi_rank,
        tiles.kpi,
        tiles.label,
        tiles.unit,
        tiles.scope,
        cast(tiles.value as double) as value,
        cast(tiles.budget_value as double) as budget_value,
        cast(tiles.change_vs_budget as double) as change_vs_budget,
        cast(tiles.last_cycle_value as double) as last_cycle_value,
        cast(tiles.change_vs_last_cycle as double) as change_vs_last_cycle,
        cast(tiles.last_year_value as double) as last_year_value,
        cast(tiles.change_vs_last_year as double) as change_vs_last_year,
        {% for base in ['budget', 'last_cycle', 'last_year'] %}
            case
                when tiles.change_vs_{{ base }} is null then null
                when abs(tiles.change_vs_{{ base }}) <= 0.005 * abs(tiles.{{ base }}_value) then 'flat'
                when tiles.change_vs_{{ base }} > 0 then 'up'
                else 'down'
            end as direction_vs_{{ base }},
        {% endfor %}
        tiles.higher_is_better,
        tiles.source_mart

    from tiles
    cross join cycle

)

select * from final
