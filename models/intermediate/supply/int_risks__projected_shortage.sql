{#- The risk register's projected_shortage risks (RSK-shortage-<sku>): one row per master
    SKU whose projected stock falls below zero within its lead time (fct_projected_inventory),
    sized by its deepest projected shortage in units and at its price; owner supply planner.
    fct_risk_register unions it with the other risk types. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

shortages as (

    select
        'RSK-shortage-' || inventory.master_sku as risk_id,
        'projected_shortage' as risk_type,
        inventory.master_sku as subject,
        min(inventory.period_id) as first_period_id,
        -min(inventory.closing_units) as units,
        -min(inventory.closing_units) * coalesce(any_value(skus.unit_price), 0) as money

    from inventory
    left join skus on inventory.master_sku = skus.master_sku
    where inventory.inventory_status = 'shortage'
    group by inventory.master_sku

),

final as (

    select
        cycle.cycle,
        shortages.risk_id,
        shortages.risk_type,
        shortages.subject,
        shortages.first_period_id,
        cast(shortages.units as double) as size_units,
        cast(shortages.money as double) as size_money,
        'supply planner' as owner_role,
        'open' as status,
        shortages.subject || ' projected ' || cast(round(shortages.units) as bigint) || ' units short from '
        || shortages.first_period_id || ', within its lead time' as description,
        shortages.subject as affected_skus

    from shortages
    cross join cycle

)

select * from final
