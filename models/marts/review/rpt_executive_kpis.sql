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
    Each tile comes from its own model: int_review__kpi_plan_money (revenue, margin, cash),
    int_review__kpi_inventory_value, int_review__kpi_service and
    int_review__kpi_forecast_accuracy; this one adds the cycle and the directions. A
    comparison without a base stays empty (null), never 0. Direction: `up`, `down` or
    `flat` (within 0.5% of the base); higher_is_better says which is good. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

plan_money as (

    select * from {{ ref('int_review__kpi_plan_money') }}

),

inventory_value as (

    select * from {{ ref('int_review__kpi_inventory_value') }}

),

service as (

    select * from {{ ref('int_review__kpi_service') }}

),

forecast_accuracy as (

    select * from {{ ref('int_review__kpi_forecast_accuracy') }}

),

tiles as (

    select * from plan_money
    union all
    select * from inventory_value
    union all
    select * from service
    union all
    select * from forecast_accuracy

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
