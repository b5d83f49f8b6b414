{#- The finance budget as a forecast in units, per family and planning period: the finance
    number of the three numbers (int_three_numbers_by_family_period: budget revenue spread
    evenly over its fiscal period's days, summed into planning periods and converted at the
    family's realized price, int_family_prices). The budget is set once a year and has no
    SKU split, so it is scored per family, the same figure at every lag. A planning period
    not covered on every day, or a family without a price, is left out. -#}
with

three_numbers as (

    select * from {{ ref('int_three_numbers_by_family_period') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

final as (

    select
        three_numbers.master_family,
        three_numbers.period_id,
        periods.period_seq,
        three_numbers.finance_revenue as budget_revenue,
        three_numbers.family_price,
        three_numbers.finance_units as budget_units

    from three_numbers
    inner join periods on three_numbers.period_id = periods.period_id
    where three_numbers.finance_status = 'covered' and three_numbers.family_price > 0

)

select * from final
