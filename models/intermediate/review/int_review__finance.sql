{#- The review page's finance section (fct_finance_plan): revenue, margin and cash impact
    summed over the horizon; inventory value at the end of the next period and of the
    horizon, and working capital at the end of the horizon (stocks, not sums). -#}
with

finance as (

    select * from {{ ref('fct_finance_plan') }}

),

finance_rows as (

    select
        'finance' as section,
        '(all)' as subject,
        measure.metric,
        measure.value,
        'money' as unit,
        'over the horizon, ' || any_value(finance.currency_conversion) over () as detail

    from finance
    cross join lateral (
        values
        ('revenue', finance.revenue),
        ('margin', finance.margin),
        ('cash impact', finance.cash_impact)
    ) as measure (metric, value)

),

finance_totals as (

    select
        section,
        subject,
        metric,
        sum(value) as value,
        unit,
        any_value(detail) as detail

    from finance_rows
    group by section, subject, metric, unit

),

inventory_by_step as (

    select
        horizon_step,
        sum(inventory_value) as inventory_value,
        sum(working_capital) as working_capital,
        max(horizon_step) over () as last_step

    from finance
    group by horizon_step

),

inventory_rows as (

    select
        'finance' as section,
        '(all)' as subject,
        'inventory value, end of the next period' as metric,
        inventory_value as value
    from inventory_by_step
    where horizon_step = 1

    union all

    select
        'finance' as section,
        '(all)' as subject,
        'inventory value, end of the horizon' as metric,
        inventory_value as value
    from inventory_by_step
    where horizon_step = last_step

    union all

    select
        'finance' as section,
        '(all)' as subject,
        'working capital, end of the horizon' as metric,
        working_capital as value
    from inventory_by_step
    where horizon_step = last_step

),

inventory_figures as (

    select
        section,
        subject,
        metric,
        value,
        'money' as unit,
        'projected, at standard cost (fct_finance_plan; a stock: the period end, not a sum)' as detail

    from inventory_rows

),

final as (

    select * from finance_totals
    union all
    select * from inventory_figures

)

select * from final
