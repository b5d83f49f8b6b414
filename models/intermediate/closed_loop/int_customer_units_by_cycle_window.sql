{#- The customer-SKU grid the customer mix is read on (int_customer_mix_by_sku_period): for
    every published cycle, each customer and master SKU they ordered in the cycle's window
    (the 6 closed periods before the cycle, is_reference, and the closed target periods at
    lags 1..var accuracy_max_lag), one row per period of that window with the customer's
    units of the SKU (0 when none, order lines by requested period, cancelled and quarantined
    lines left out) and of its family (family_units). -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

inputs as (

    select distinct cycle
    from archive

),

cycles as (

    select
        inputs.cycle,
        periods.period_seq as cycle_seq

    from inputs
    inner join periods on inputs.cycle = periods.period_id

),

closed_periods as (

    select periods.*
    from periods
    cross join cycle
    where periods.period_end < cycle.as_of_date

),

units as (

    select
        orders.customer_id,
        orders.master_sku,
        orders.master_family,
        periods.period_seq,
        sum(orders.quantity_eaches) as units

    from orders
    inner join periods on orders.requested_period_id = periods.period_id
    group by orders.customer_id, orders.master_sku, orders.master_family, periods.period_seq

),

windows as (

    select
        cycles.cycle,
        cycles.cycle_seq,
        closed_periods.period_seq,
        closed_periods.period_id,
        closed_periods.period_seq < cycles.cycle_seq as is_reference

    from cycles
    inner join closed_periods
        on closed_periods.period_seq between cycles.cycle_seq - 6 and cycles.cycle_seq + {{ max_lag }} - 1

),

pairs as (

    select distinct
        windows.cycle,
        units.customer_id,
        units.master_sku,
        units.master_family

    from units
    inner join windows on units.period_seq = windows.period_seq

),

grid as (

    select
        pairs.*,
        windows.period_seq,
        windows.period_id,
        windows.is_reference,
        coalesce(units.units, 0) as sku_units

    from pairs
    inner join windows on pairs.cycle = windows.cycle
    left join units
        on pairs.customer_id = units.customer_id
            and pairs.master_sku = units.master_sku
            and windows.period_seq = units.period_seq

),


final as (

    select
        *,
        sum(sku_units) over (partition by cycle, customer_id, master_family, period_seq) as family_units

    from grid

)

select * from final
