{#- The shipment lines that explain part of erp_shipments_vs_gl_revenue (GL revenue - ERP
    shipped value, family x fiscal period), one row per line, signed as the difference is
    (int_reconciliation_evidence unions them with the other kinds):
      duplicate           a shipment line posted twice (duplicate_line or duplicate_key): -value
      units_of_measure    a case item's line keyed in eaches (uom_mismatch): -excess value
    (missing postings and cut-off timing are read off the periods' totals, in the
    comparison model, because a GL line does not point to a shipment.) -#}
with

shipments as (

    select * from {{ ref('int_shipment_lines_valued') }}

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

)

select * from value_evidence
