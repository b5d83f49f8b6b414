with

items as (

    select * from {{ ref('stg_erp__items') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['erp_item']) + [
            ['erp_family is null or uom is null or units_per_uom is null or status is null', 'missing_value'],
            ["uom not in ('EA', 'CS')", 'unknown_uom'],
            ['units_per_uom <= 0', 'non_positive_quantity'],
            ["status not in ('active', 'eol', 'new')", 'unknown_status'],
            ['std_cost < 0 or moq < 0 or lead_time_days < 0', 'negative_value'],
        ]) }} as quarantine_rule

    from items

)

select * from checked
