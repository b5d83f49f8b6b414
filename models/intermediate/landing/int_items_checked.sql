{#- ERP items, with the master SKU each maps to (int_skus_mapped_to_master): an item whose
    code matches no master, or two, is quarantined (`unmapped_code`, `ambiguous_code`); it
    never becomes a master of its own. -#}
with

items as (

    select * from {{ ref('stg_erp__items') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp'

),

checked as (

    select
        items.*,
        codes.master_sku,
        {{ quarantine_rule(key_rules(['items.erp_item']) + [
            ['items.erp_family is null or items.uom is null or items.units_per_uom is null or items.status is null', 'missing_value'],
            ["items.uom not in ('EA', 'CS')", 'unknown_uom'],
            ['items.units_per_uom <= 0', 'non_positive_quantity'],
            ["items.status not in ('active', 'eol', 'new')", 'unknown_status'],
            ['items.std_cost < 0 or items.moq < 0 or items.lead_time_days < 0', 'negative_value'],
        ] + code_rules('codes')) }} as quarantine_rule

    from items
    left join codes on items.erp_item = codes.source_code

)

select * from checked
