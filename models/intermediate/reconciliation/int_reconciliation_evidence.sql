{#- The landed rows that explain a difference between two systems, each with the cause it
    points to and how much of the difference it accounts for, signed as the difference is
    (right system minus left system):

    crm_orders_vs_erp_shipments (ERP shipped units - CRM ordered units, master SKU x
    planning period):
      duplicate           a shipment line posted twice (quarantine rule duplicate_line, or
                          the same shipment and line number landed twice: duplicate_key): +units
      units_of_measure    a case item's line keyed in eaches (uom_mismatch): +excess units
      unmapped_code       a shipment fulfilling an order whose CRM code is unknown: +units
      shipment_timing     an order shipped in another period than requested:
                          -units in the requested period, +units in the ship period
      unshipped_orders    an order requested in a closed period with no shipment: -units
                          (an order requested in an open period, the cycle's or later, is
                          not late yet)

    erp_shipments_vs_gl_revenue (GL revenue - ERP shipped value, family x fiscal period):
      duplicate, units_of_measure   as above, in money: -value
      (missing postings and cut-off timing are read off the periods' totals, in the
      comparison model, because a GL line does not point to a shipment.) -#}
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
        master_sku as subject,
        ship_period_id as period_id,
        case when quarantine_rule in ('duplicate_key', 'duplicate_line') then 'duplicate' else 'units_of_measure' end as cause,
        case
            when quarantine_rule in ('duplicate_key', 'duplicate_line') then quantity_eaches
            else quantity_eaches - ordered_eaches
        end as evidence_units,
        'erp/shipments' as source_entity,
        _landing_row as landing_row,
        'shipment ' || shipment_id || ' line ' || line_no || ': ' || quarantine_rule as detail

    from shipments
    where quarantine_rule in ('duplicate_key', 'duplicate_line', 'uom_mismatch')

    union all

    select
        'crm_orders_vs_erp_shipments',
        master_sku,
        ship_period_id,
        'unmapped_code',
        quantity_eaches,
        'erp/shipments',
        _landing_row,
        'shipment ' || shipment_id || ' line ' || line_no || ' fulfils order ' || order_id
        || ' placed under unmapped CRM code ' || unmapped_crm_product_code

    from good_shipments
    where fulfils_unmapped_code

    union all

    select
        'crm_orders_vs_erp_shipments',
        order_shipments.master_sku,
        order_shipments.requested_period_id,
        'shipment_timing',
        -shipped_by_order.shipped_eaches,
        'crm/orders',
        order_shipments.landing_row,
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

),

value_evidence as (

    select
        'erp_shipments_vs_gl_revenue' as comparison,
        master_family as subject,
        cast(ship_fiscal_year as varchar) || '-' || lpad(cast(ship_fiscal_period as varchar), 2, '0') as period_id,
        case when quarantine_rule in ('duplicate_key', 'duplicate_line') then 'duplicate' else 'units_of_measure' end as cause,
        -case
            when quarantine_rule in ('duplicate_key', 'duplicate_line') then shipped_value
            else shipped_value - round(cast(ordered_eaches * unit_price as decimal(20, 6)), 2)
        end as evidence_value,
        'erp/shipments' as source_entity,
        _landing_row as landing_row,
        'shipment ' || shipment_id || ' line ' || line_no || ': ' || quarantine_rule as detail

    from shipments
    where quarantine_rule in ('duplicate_key', 'duplicate_line', 'uom_mismatch')

),

evidence as (

    select
        comparison,
        subject,
        period_id,
        cause,
        cast(evidence_units as decimal(38, 6)) as evidence_units,
        cast(null as decimal(38, 6)) as evidence_value,
        source_entity,
        landing_row,
        detail

    from unit_evidence

    union all

    select
        comparison,
        subject,
        period_id,
        cause,
        null,
        cast(evidence_value as decimal(38, 6)),
        source_entity,
        landing_row,
        detail

    from value_evidence

)

select * from evidence
