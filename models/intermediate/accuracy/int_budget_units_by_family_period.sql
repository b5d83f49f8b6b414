{#- The finance budget as a forecast in units, per family and planning period: budget
    revenue spread evenly over its fiscal period's days, summed into planning periods and
    converted at the family's realized price (int_family_prices, the 12 closed periods
    before the cycle). The budget is set once a year and has no SKU split, so it is scored
    per family, the same figure at every lag. A planning period not covered on every day is
    left out. -#}
with

budgets as (

    select * from {{ ref('int_budgets_checked') }}
    where quarantine_rule is null

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

family_prices as (

    select * from {{ ref('int_family_prices') }}

),

fiscal_period_days as (

    select
        fiscal_year,
        fiscal_period,
        count(*) as n_days

    from calendar_days
    group by fiscal_year, fiscal_period

),

budget_days as (

    select
        budgets.master_family,
        calendar_days.period_id,
        calendar_days.calendar_date,
        budgets.revenue / fiscal_period_days.n_days as revenue

    from budgets
    inner join fiscal_period_days
        on budgets.fiscal_year = fiscal_period_days.fiscal_year
            and budgets.fiscal_period = fiscal_period_days.fiscal_period
    inner join calendar_days
        on budgets.fiscal_year = calendar_days.fiscal_year
            and budgets.fiscal_period = calendar_days.fiscal_period

),

per_period as (

    select
        budget_days.master_family,
        budget_days.period_id,
        cast(sum(budget_days.revenue) as double) as budget_revenue,
        count(distinct budget_days.calendar_date) as days_covered

    from budget_days
    group by budget_days.master_family, budget_days.period_id

),

final as (

    select
        per_period.master_family,
        per_period.period_id,
        periods.period_seq,
        per_period.budget_revenue,
        family_prices.family_price,
        per_period.budget_revenue / family_prices.family_price as budget_units

    from per_period
    inner join periods on per_period.period_id = periods.period_id
    inner join family_prices on per_period.master_family = family_prices.master_family
    where per_period.days_covered = periods.n_days and family_prices.family_price > 0

)

select * from final
