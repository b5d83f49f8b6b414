{#- Sales' forecast, operations' forecast and finance's budget side by side, in units (and
    the budget in money), per family and planning period, with each number's status
    (covered, partial, missing, source_absent). -#}
with

side_by_side as (

    select * from {{ ref('int_three_numbers_by_family_period') }}

),

rounded as (

    select
        master_family,
        period_id,
        period_start,
        period_end,
        round(sales_units, 2) as sales_units,
        round(operations_units, 2) as operations_units,
        round(finance_units, 2) as finance_units,
        round(finance_revenue, 2) as finance_revenue,
        round(family_price, 4) as family_price,
        sales_status,
        operations_status,
        finance_status

    from side_by_side

)

select * from rounded
