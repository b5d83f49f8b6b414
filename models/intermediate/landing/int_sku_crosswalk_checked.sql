with

crosswalk as (

    select * from {{ ref('stg_master__sku_crosswalk') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['source_system', 'source_code']) + [
            ["source_system not in ('crm', 'erp', 'gl')", 'unknown_system'],
            ["source_system in ('crm', 'erp') and master_sku is null", 'missing_value'],
            ["source_system = 'gl' and master_family is null", 'missing_value'],
        ]) }} as quarantine_rule

    from crosswalk

)

select * from checked
