{#- CRM ordered units against ERP shipped units, per master SKU and closed planning period,
    each system's number as it reports it (every landed row that can be placed on a master
    SKU and a period: used rows, and the quarantined rows that are the evidence of a
    difference, i.e. shipment lines posted twice or keyed in the wrong unit; no other
    quarantined row counts), plus one row per unmapped CRM code and period
    (ERP cannot see those codes). Ordered units are counted on the requested date, shipped
    units on the ship date; cancelled order lines are not demand and are left out. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where
        status != 'cancelled' and requested_period_id is not null
        and (quarantine_rule is null or quarantine_rule = 'unmapped_code')

),

sku_prices as (

    select * from {{ ref('int_sku_prices') }}

),

shipments as (

    select * from {{ ref('int_shipment_lines_valued') }}

),

crm_units as (

    select
        master_sku as subject,
        requested_period_id as period_id,
        sum(quantity_eaches) as crm_units

    from orders
    where master_sku is not null
    group by master_sku, requested_period_id

),

erp_units as (

    select
        master_sku as subject,
        ship_period_id as period_id,
        sum(quantity_eaches) as erp_units

    from shipments
    group by master_sku, ship_period_id

),

sku_compared as (

    select
        'master_sku' as subject_type,
        coalesce(crm_units.subject, erp_units.subject) as subject,
        coalesce(crm_units.period_id, erp_units.period_id) as period_id,
        cast(coalesce(crm_units.crm_units, 0) as double) as left_value,
        cast(coalesce(erp_units.erp_units, 0) as double) as right_value,
        sku_prices.unit_price

    from crm_units
    full outer join erp_units
        on crm_units.subject = erp_units.subject
            and crm_units.period_id = erp_units.period_id
    left join sku_prices on coalesce(crm_units.subject, erp_units.subject) = sku_prices.master_sku

),

unmapped_compared as (

    select
        'source_code' as subject_type,
        'crm:' || crm_product_code as subject,
        requested_period_id as period_id,
        cast(sum(quantity_eaches) as double) as left_value,
        cast(0 as double) as right_value,
        cast(sum(quantity_eaches * unit_price) / nullif(sum(quantity_eaches), 0) as double) as unit_price

    from orders
    where quarantine_rule = 'unmapped_code'
    group by crm_product_code, requested_period_id

),

compared as (

    select * from sku_compared
    union all
    select * from unmapped_compared

),

closed as (

    select
        'crm_orders_vs_erp_shipments' as comparison,
        compared.subject_type,
        compared.subject,
        compared.period_id,
        'units' as measure,
        'crm' as left_system,
        compared.left_value,
        'erp' as right_system,
        compared.right_value,
        compared.right_value - compared.left_value as difference,
        compared.unit_price

    from compared
    inner join periods on compared.period_id = periods.period_id
    cross join cycle
    where
        periods.period_end < cycle.as_of_date
        and exists (select 1 from orders)
        and exists (select 1 from shipments)

)

select * from closed
