{#- Finance's budget as units, per family and planning period: GL budget revenue spread
    evenly over its fiscal period's days and converted to units at the family's realized
    price (int_family_prices); a family with no price has null units. `days_covered` is the
    number of the period's days the budget covers. -#}
with

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

budgets as (

    select * from {{ ref('int_budgets_checked') }}
    where quarantine_rule is null

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
        'finance' as number_source,
        budgets.master_family,
        calendar_days.period_id,
        calendar_days.calendar_date,
        cast(budgets.revenue / fiscal_period_days.n_days / family_prices.family_price as decimal(38, 10)) as units,
        cast(budgets.revenue / fiscal_period_days.n_days as decimal(38, 10)) as revenue

    from budgets
    inner join fiscal_period_days
        on budgets.fiscal_year = fiscal_period_days.fiscal_year
            and budgets.fiscal_period = fiscal_period_days.fiscal_period
    inner join calendar_days
        on budgets.fiscal_year = calendar_days.fiscal_year
            and budgets.fiscal_period = calendar_days.fiscal_period
    left join family_prices on budgets.master_family = family_prices.master_family

),

per_period as (

    select
        number_source,
        master_family,
        period_id,
        sum(units) as units,
        sum(revenue) as revenue,
        count(distinct calendar_date) as days_covered

    from budget_days
    group by number_source, master_family, period_id

)

select * from per_period
