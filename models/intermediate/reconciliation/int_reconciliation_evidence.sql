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
      comparison model, because a GL line does not point to a shipment.)

    One intermediate model per kind of evidence builds its rows
    (int_reconciliation_evidence__shipment_line_units, __order_units and
    __shipment_line_value); this model unions them. -#}
with

shipment_line_units as (

    select * from {{ ref('int_reconciliation_evidence__shipment_line_units') }}

),

order_units as (

    select * from {{ ref('int_reconciliation_evidence__order_units') }}

),

value_evidence as (

    select * from {{ ref('int_reconciliation_evidence__shipment_line_value') }}

),

unit_evidence as (

    select * from shipment_line_units
    union all
    select * from order_units

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
