{#- Revenue per horizon period, all families, the pack's "plan vs budget vs last plan"
    chart: the consensus plan x price, the GL budget, the previous cycle's consensus for
    the same period at the same prices (fct_finance_plan), and the GL revenue of the same
    fiscal period a year earlier (int_revenue_compared_erp_gl, the Week 0 comparison). A side without data stays
    empty (null), never 0. -#}
with

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

periods as (

    select * from {{ ref('int_planning_periods') }}

),

plan as (

    select
        finance.cycle,
        finance.period_id,
        any_value(finance.period_start) as period_start,
        any_value(finance.horizon_step) as horizon_step,
        any_value(finance.currency) as currency,
        sum(finance.revenue) as revenue,
        sum(finance.budget_revenue) as budget_revenue,
        sum(finance.previous_cycle_revenue) as previous_cycle_revenue

    from finance
    group by finance.cycle, finance.period_id

),

last_year as (

    select
        this_year.period_id,
        sum(history.gl_revenue) as gl_revenue

    from periods as this_year
    inner join periods as a_year_ago
        on this_year.fiscal_period = a_year_ago.fiscal_period
            and this_year.fiscal_year - 1 = a_year_ago.fiscal_year
    inner join history on a_year_ago.period_id = history.period_id
    group by this_year.period_id

),

final as (

    select
        plan.cycle,
        plan.period_id,
        plan.period_start,
        cast(plan.horizon_step as integer) as horizon_step,
        plan.currency,
        cast(plan.revenue as double) as revenue,
        cast(plan.budget_revenue as double) as budget_revenue,
        cast(plan.previous_cycle_revenue as double) as previous_cycle_revenue,
        cast(last_year.gl_revenue as double) as last_year_gl_revenue

    from plan
    left join last_year on plan.period_id = last_year.period_id

)

select * from final
