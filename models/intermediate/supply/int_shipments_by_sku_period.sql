{#- Units shipped per master SKU and planning period (ERP shipments that passed the row
    checks, in eaches, on their ship date): the one "actual shipped" the closed loop and the
    finance plan history compare plans with. -#}
with

shipments as (

    select * from {{ ref('int_shipments_checked') }}
    where quarantine_rule is null

),

final as (

    select
        master_sku,
        ship_period_id as period_id,
        sum(quantity_eaches) as shipped_units

    from shipments
    group by master_sku, ship_period_id

)

select * from final
