{#- Realized net price per each for every family, over the 12 closed planning periods
    before the cycle (CRM order lines used, non-cancelled): the rate that turns finance's
    money into units and unit differences into money. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

family_prices as (

    select
        orders.master_family,
        cast(sum(orders.quantity_eaches * orders.unit_price) / nullif(sum(orders.quantity_eaches), 0) as double) as family_price

    from orders
    inner join periods on orders.requested_period_id = periods.period_id
    cross join cycle
    where periods.period_seq between cycle.cycle_period_seq - 12 and cycle.cycle_period_seq - 1
    group by orders.master_family

)

select * from family_prices
