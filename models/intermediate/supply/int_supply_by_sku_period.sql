{#- Supply per master SKU and planning period, in eaches, from ERP purchase and work orders
    (used rows, cancelled orders left out): what was due in the period (by due date), what
    of it is still open, and what was received in the period (by received date). -#}
with

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

due as (

    select
        supply.master_sku,
        calendar_days.period_id,
        sum(supply.quantity_eaches) as due_eaches,
        sum(supply.quantity_eaches) filter (where supply.status = 'open') as open_eaches,
        0 as received_eaches

    from supply
    inner join calendar_days on supply.due_date = calendar_days.calendar_date
    group by supply.master_sku, calendar_days.period_id

),

received as (

    select
        supply.master_sku,
        calendar_days.period_id,
        0 as due_eaches,
        0 as open_eaches,
        sum(supply.quantity_eaches) as received_eaches

    from supply
    inner join calendar_days on supply.received_date = calendar_days.calendar_date
    where supply.status = 'received'
    group by supply.master_sku, calendar_days.period_id

),

combined as (

    select * from due
    union all
    select * from received

),

per_period as (

    select
        master_sku,
        period_id,
        sum(due_eaches) as due_eaches,
        coalesce(sum(open_eaches), 0) as open_eaches,
        sum(received_eaches) as received_eaches

    from combined
    group by master_sku, period_id

)

select * from per_period
