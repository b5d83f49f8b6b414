{#- Open supply (purchase and work orders with status open) per master SKU and horizon
    period, in eaches, by due date. Supply already past due at the as-of date is counted in
    the cycle's first period, where it could arrive at the earliest, and reported as past due. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status = 'open'

),

placed as (

    select
        supply.master_sku,
        supply.supply_id,
        supply.supplier_id,
        supply.due_date,
        supply.quantity_eaches,
        supply.due_date < cycle.as_of_date as is_past_due,
        case when supply.due_date < cycle.as_of_date then cycle.cycle else periods.period_id end as period_id

    from supply
    cross join cycle
    left join periods on supply.due_date between periods.period_start and periods.period_end

),

final as (

    select
        master_sku,
        period_id,
        cast(sum(quantity_eaches) as double) as open_supply_units,
        cast(coalesce(sum(quantity_eaches) filter (where is_past_due), 0) as double) as past_due_units,
        count(*) as n_supply_orders,
        string_agg(distinct supplier_id, ', ' order by supplier_id) as suppliers

    from placed
    group by master_sku, period_id

)

select * from final
