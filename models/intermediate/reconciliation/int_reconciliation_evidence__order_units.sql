{#- The orders that explain part of crm_orders_vs_erp_shipments (ERP shipped units - CRM
    ordered units, master SKU x planning period), read against their shipments, signed as
    the difference is (int_reconciliation_evidence unions them with the other kinds):
      shipment_timing     an order shipped in another period than requested:
                          -units in the requested period, +units in the ship period
      unshipped_orders    an order requested in a closed period with no shipment: -units
                          (an order requested in an open period, the cycle's or later, is
                          not late yet) -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

shipments as (

    select * from {{ ref('int_shipment_lines_valued') }}

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled' and requested_period_id is not null

),

good_shipments as (

    select * from shipments
    where quarantine_rule is null

),

order_shipments as (

    select
        orders.order_id,
        orders.master_sku,
        min(orders.requested_period_id) as requested_period_id,
        min(orders.requested_date) as requested_date,
        sum(orders.quantity_eaches) as ordered_eaches,
        min(orders._landing_row) as landing_row

    from orders
    group by orders.order_id, orders.master_sku

),

shipped_by_order as (

    select
        order_id,
        master_sku,
        ship_period_id,
        sum(quantity_eaches) as shipped_eaches,
        min(_landing_row) as landing_row

    from good_shipments
    where order_id is not null
    group by order_id, master_sku, ship_period_id

),

unit_evidence as (

    select
        'crm_orders_vs_erp_shipments' as comparison,
        order_shipments.master_sku as subject,
        order_shipments.requested_period_id as period_id,
        'shipment_timing' as cause,
        -shipped_by_order.shipped_eaches as evidence_units,
        'crm/orders' as source_entity,
        order_shipments.landing_row,
        'order ' || order_shipments.order_id || ' requested in ' || order_shipments.requested_period_id
        || ', shipped in ' || shipped_by_order.ship_period_id as detail

    from order_shipments
    inner join shipped_by_order
        on order_shipments.order_id = shipped_by_order.order_id
            and order_shipments.master_sku = shipped_by_order.master_sku
    where order_shipments.requested_period_id != shipped_by_order.ship_period_id

    union all

    select
        'crm_orders_vs_erp_shipments',
        order_shipments.master_sku,
        shipped_by_order.ship_period_id,
        'shipment_timing',
        shipped_by_order.shipped_eaches,
        'erp/shipments',
        shipped_by_order.landing_row,
        'order ' || order_shipments.order_id || ' requested in ' || order_shipments.requested_period_id
        || ', shipped in ' || shipped_by_order.ship_period_id

    from order_shipments
    inner join shipped_by_order
        on order_shipments.order_id = shipped_by_order.order_id
            and order_shipments.master_sku = shipped_by_order.master_sku
    where order_shipments.requested_period_id != shipped_by_order.ship_period_id

    union all

    select
        'crm_orders_vs_erp_shipments',
        order_shipments.master_sku,
        order_shipments.requested_period_id,
        'unshipped_orders',
        -order_shipments.ordered_eaches,
        'crm/orders',
        order_shipments.landing_row,
        'order ' || order_shipments.order_id || ' requested ' || strftime(order_shipments.requested_date, '%Y-%m-%d')
        || ', nothing shipped'

    from order_shipments
    cross join cycle
    where
        order_shipments.requested_date < cycle.as_of_date
        and not exists (
            select 1
            from shipped_by_order
            where
                shipped_by_order.order_id = order_shipments.order_id
                and shipped_by_order.master_sku = order_shipments.master_sku
        )

)

select * from unit_evidence
