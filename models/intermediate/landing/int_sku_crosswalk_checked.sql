{#- Crosswalk rows, with the first rule each breaks. Master codes are compared after
    normalization (seed code_normalization_rules, without the master-prefix rule): two
    spellings of one master (`md-10001` beside `MD10001`) are one master written twice, so
    the rows with the other spelling are quarantined as `master_code_clash` (the spelling
    kept is the one already normalized, else the one on the earliest row). -#}
-- depends_on: {{ ref('code_normalization_rules') }}
{%- set rules = code_normalization_rules() %}
with

crosswalk as (

    select * from {{ ref('stg_master__sku_crosswalk') }}

),

spelled as (

    select
        *,
        {{ master_key('master_sku', rules) }} as master_key

    from crosswalk

),

with_canonical as (

    select
        *,
        case when master_sku is not null and source_system in ('crm', 'erp') then first_value(master_sku) over (
                    partition by master_key
                    order by (master_sku = master_key) desc, _landing_row
                )
        end as canonical_master_sku

    from spelled

),

checked as (

    select
        source_system,
        source_code,
        master_sku,
        master_family,
        _landing_row,
        _landing_file,
        {{ quarantine_rule(key_rules(['source_system', 'source_code']) + [
            ["source_system not in ('crm', 'erp', 'gl')", 'unknown_system'],
            ["source_system in ('crm', 'erp') and master_sku is null", 'missing_value'],
            ["source_system = 'gl' and master_family is null", 'missing_value'],
            ['master_sku != canonical_master_sku', 'master_code_clash'],
        ]) }} as quarantine_rule

    from with_canonical

)

select * from checked
