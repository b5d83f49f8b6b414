{#- The shipment lines that explain part of crm_orders_vs_erp_shipments (ERP shipped units
    - CRM ordered units, master SKU x planning period), one row per line, signed as the
    difference is (int_reconciliation_evidence unions them with the other kinds):
      duplicate           a shipment line posted twice (quarantine rule duplicate_line, or
                          the same shipment and line number landed twice: duplicate_key): +units
      units_of_measure    a case item's line keyed in eaches (uom_mismatch): +excess units
      unmapped_code       a shipment fulfilling an order whose CRM code is unknown: +units -#}
with

shipments as (

    select * from {{ ref('int_shipment_lines_valued') }}

),

good_shipments as (

    select * from shipments
    where quarantine_rule is null

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

)

select * from unit_evidence
