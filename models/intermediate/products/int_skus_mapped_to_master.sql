{#- The SKU dictionary: every code any system uses, mapped to one master SKU (CRM, ERP) or
    master family (GL product lines).

    The masters (int_master_skus): the master SKUs the crosswalk names when it names any;
    otherwise the ERP items, each under its normalized code. A code never creates a master.

    Order of resolution for a CRM or ERP code: the crosswalk row for it; else the
    normalization rules of the seed code_normalization_rules, applied in order to the code
    and to every master alike; the first rule after which the code equals one master maps
    it (`mapping_rule` names that rule); equal to two or more masters at that rule, it is
    `ambiguous` (quarantined, never guessed); equal to none after the last rule, it is
    `unmapped` (the rows that use it are quarantined as `unmapped_code`).
    GL product lines map to a family: crosswalk, else normalized family name.
    The codes in use are int_sku_codes_in_use, their rule matches int_sku_codes_matched_by_rule. -#}
-- depends_on: {{ ref('code_normalization_rules') }}
{%- set rules = code_normalization_rules() %}
with

crosswalk as (

    select * from {{ ref('int_sku_crosswalk_checked') }}
    where quarantine_rule is null

),

masters as (

    select * from {{ ref('int_master_skus') }}

),

sku_codes as (

    select * from {{ ref('int_sku_codes_in_use') }}

),

first_match as (

    select * from {{ ref('int_sku_codes_matched_by_rule') }}

),

items as (

    select
        erp_item,
        min(upper(trim(erp_family))) as erp_family

    from {{ ref('stg_erp__items') }}
    where erp_item is not null
    group by erp_item

),

sku_mapped as (

    select
        sku_codes.source_system,
        sku_codes.source_code,
        case
            when listed.master_sku is not null then listed.master_sku
            when first_match.n_masters = 1 then first_match.master_sku
        end as master_sku,
        case
            when listed.master_sku is not null then 'crosswalk'
            when first_match.n_masters = 1 then 'normalized'
            when first_match.n_masters > 1 then 'ambiguous'
            else 'unmapped'
        end as mapping_method,
        case
            when listed.master_sku is not null then 'crosswalk'
            else first_match.mapping_rule
        end as mapping_rule

    from sku_codes
    left join crosswalk
        on sku_codes.source_system = crosswalk.source_system
            and sku_codes.source_code = crosswalk.source_code
    left join masters as listed on crosswalk.master_sku = listed.master_sku
    left join first_match
        on sku_codes.source_system = first_match.source_system
            and sku_codes.source_code = first_match.source_code

),

item_families as (

    select
        sku_mapped.master_sku,
        min(items.erp_family) as erp_family

    from sku_mapped
    inner join items on sku_mapped.source_code = items.erp_item
    where sku_mapped.source_system = 'erp' and sku_mapped.master_sku is not null
    group by sku_mapped.master_sku

),

master_families as (

    select
        masters.master_sku,
        coalesce(masters.master_family, item_families.erp_family) as master_family

    from masters
    left join item_families on masters.master_sku = item_families.master_sku

),

sku_with_family as (

    select
        sku_mapped.source_system,
        sku_mapped.source_code,
        sku_mapped.master_sku,
        master_families.master_family,
        sku_mapped.mapping_method,
        sku_mapped.mapping_rule

    from sku_mapped
    left join master_families on sku_mapped.master_sku = master_families.master_sku

),

families as (

    select distinct
        master_family,
        {{ normalized_code('master_family', rules, rules | length) }} as family_key

    from master_families
    where master_family is not null

),

gl_codes as (

    select product_line as source_code from {{ ref('stg_gl__journal_lines') }}
    union
    select product_line from {{ ref('stg_gl__budgets') }}

),

gl_mapped as (

    select
        'gl' as source_system,
        gl_codes.source_code,
        cast(null as varchar) as master_sku,
        coalesce(listed.master_family, normalized.master_family) as master_family,
        case
            when listed.master_family is not null then 'crosswalk'
            when normalized.master_family is not null then 'normalized'
            else 'unmapped'
        end as mapping_method,
        case
            when listed.master_family is not null then 'crosswalk'
            when normalized.master_family is not null then 'family_name'
        end as mapping_rule

    from gl_codes
    left join crosswalk
        on crosswalk.source_system = 'gl'
            and gl_codes.source_code = crosswalk.source_code
    left join families as listed on upper(trim(crosswalk.master_family)) = listed.master_family
    left join families as normalized
        on crosswalk.source_code is null
            and {{ normalized_code('gl_codes.source_code', rules, rules | length) }} = normalized.family_key
    where gl_codes.source_code is not null

),

mapped as (

    select * from sku_with_family
    union all
    select * from gl_mapped

)

select * from mapped
