{#- The one-page S&OP review of the cycle, in one long table a pack or a BI tool lays out:
    one row per section, rank and figure, every figure taken from a mart, none computed
    anew beyond sums and the differences shown. Each section is its own model
    (int_review__<section>); this one ranks the figures within each section.
    - demand_plan: per family, the consensus plan for the cycle's first three periods
      against the previous cycle's plan for the same periods (rpt_family_demand_plan), the
      budget, sales' and operations' latest numbers (int_forecasts_by_lag is past cycles only, so the
      comparison uses the same three-numbers model Week 0 reads, rpt_three_numbers);
    - accuracy: per family, lag-1 WAPE and bias of the consensus plan and of the statistical
      baseline over the published cycles (rpt_accuracy_by_number);
    - top_misses: the five largest root causes of the last closed period at lag 1
      (fct_plan_miss_root_causes);
    - proposals: proposals raised this cycle, and the decisions on last cycle's;
    - risks: the five largest open risks by money (rpt_risk_register);
    - finance: revenue, margin and cash impact summed over the horizon; inventory value at
      the end of the next period and of the horizon, and working capital at the end of the
      horizon (stocks, not sums) (fct_finance_plan);
    - decisions: open and overdue leadership decisions (fct_leadership_decisions). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

demand_plan as (

    select * from {{ ref('int_review__demand_plan') }}

),

accuracy as (

    select * from {{ ref('int_review__accuracy') }}

),

top_misses as (

    select * from {{ ref('int_review__top_misses') }}

),

proposals as (

    select * from {{ ref('int_review__proposals') }}

),

risks as (

    select * from {{ ref('int_review__risks') }}

),

finance as (

    select * from {{ ref('int_review__finance') }}

),

decisions as (

    select * from {{ ref('int_review__decisions') }}

),

all_rows as (

    select * from demand_plan
    union all
    select * from accuracy
    union all
    select * from top_misses
    union all
    select * from proposals
    union all
    select * from risks
    union all
    select * from finance
    union all
    select * from decisions

),

final as (

    select
        cycle.cycle,
        all_rows.section,
        cast(row_number() over (
            partition by all_rows.section order by abs(all_rows.value) desc nulls last, all_rows.subject, all_rows.metric asc
        ) as bigint) as section_rank,
        all_rows.subject,
        all_rows.metric,
        all_rows.value,
        all_rows.unit,
        all_rows.detail

    from all_rows
    cross join cycle

)

select * from final
