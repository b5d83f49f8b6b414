{#- The risk register's excess_obsolescence risks (RSK-excess-<sku>): one row per end-of-life
    master SKU still holding stock at the end of the horizon (fct_projected_inventory), in
    units and valued at cost; owner finance. fct_risk_register unions it with the other risk
    types. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

excess as (

    select
        'RSK-excess-' || inventory.master_sku as risk_id,
        'excess_obsolescence' as risk_type,
        inventory.master_sku as subject,
        inventory.period_id as first_period_id,
        inventory.closing_units as units,
        inventory.closing_value as money

    from inventory
    where
        inventory.sku_status = 'eol' and inventory.closing_units > 0
        and inventory.horizon_step = (select max(last_step.horizon_step) from inventory as last_step)

),

final as (

    select
        cycle.cycle,
        excess.risk_id,
        excess.risk_type,
        excess.subject,
        excess.first_period_id,
        cast(excess.units as double) as size_units,
        cast(excess.money as double) as size_money,
        'finance' as owner_role,
        'open' as status,
        'end-of-life ' || excess.subject || ' still holds ' || cast(round(excess.units) as bigint)
        || ' units at the end of the horizon' as description,
        excess.subject as affected_skus

    from excess
    cross join cycle

)

select * from final
