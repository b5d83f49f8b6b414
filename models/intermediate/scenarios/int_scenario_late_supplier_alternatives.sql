{#- The second supplier a late supplier's short units could move to (the split_supplier
    option): per late_supplier risk and product family it supplies, the supplier of the same
    family that does not run late with the most receipts recently (fct_supplier_risk). -#}
with

late as (

    select * from {{ ref('int_scenario_late_suppliers') }}

),

suppliers as (

    select * from {{ ref('fct_supplier_risk') }}

),

supply as (

    select * from {{ ref('int_supply_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled' and supplier_id is not null

),

sku_money as (

    select * from {{ ref('int_scenario_sku_money') }}

),

alternatives as (

    select
        late.risk_id,
        sku_money.master_family,
        arg_max(other.supplier_id, other.n_received_recently) as alternative_supplier

    from late
    inner join supply as late_supply on late.supplier_id = late_supply.supplier_id
    inner join sku_money on late_supply.master_sku = sku_money.master_sku
    inner join supply as family_supply on late.supplier_id != family_supply.supplier_id
    inner join sku_money as family_skus
        on family_supply.master_sku = family_skus.master_sku
            and sku_money.master_family = family_skus.master_family
    inner join suppliers as other
        on family_supply.supplier_id = other.supplier_id
            and not other.runs_late
    group by late.risk_id, sku_money.master_family

)

select * from alternatives
