{#- The SKU dictionary: every code any system uses, mapped to one master SKU (CRM, ERP) or
    master family (GL product lines). Order of resolution: the crosswalk
    (master/sku_crosswalk), then the normalization rules (macro normalize_code), then
    `unmapped`, which sends the rows that use the code to quarantine.
    ERP is the item master: an ERP item that the crosswalk does not list is its own master
    SKU, under its normalized code. -#}
with

crosswalk as (

    select * from {{ ref('int_sku_crosswalk_checked') }}
    where quarantine_rule is null

),

items as (

    select * from {{ ref('int_items_checked') }}
    where quarantine_rule is null

),

erp_mapped as (

    select
        'erp' as source_system,
        items.erp_item as source_code,
        coalesce(crosswalk.master_sku, {{ normalize_code('items.erp_item') }}) as master_sku,
        upper(trim(items.erp_family)) as master_family,
        case when crosswalk.master_sku is not null then 'crosswalk' else 'normalized' end as mapping_method

    from items
    left join crosswalk
        on crosswalk.source_system = 'erp'
            and items.erp_item = crosswalk.source_code

),

masters as (

    select
        master_sku,
        {{ normalize_code('master_sku') }} as master_key,
        min(master_family) as master_family

    from erp_mapped
    group by master_sku

),

families as (

    select distinct
        master_family,
        {{ normalize_code('master_family') }} as family_key

    from masters

),

crm_codes as (

    select crm_product_code as source_code from {{ ref('stg_crm__products') }}
    union
    select crm_product_code from {{ ref('stg_crm__orders') }}
    union
    select crm_product_code from {{ ref('stg_crm__promotions') }}
    union
    select crm_product_code from {{ ref('stg_crm__sales_forecasts') }}

),

crm_mapped as (

    select
        'crm' as source_system,
        crm_codes.source_code,
        coalesce(listed.master_sku, normalized.master_sku) as master_sku,
        coalesce(listed.master_family, normalized.master_family) as master_family,
        case
            when listed.master_sku is not null then 'crosswalk'
            when normalized.master_sku is not null then 'normalized'
            else 'unmapped'
        end as mapping_method

    from crm_codes
    left join crosswalk
        on crosswalk.source_system = 'crm'
            and crm_codes.source_code = crosswalk.source_code
    left join masters as listed on crosswalk.master_sku = listed.master_sku
    left join masters as normalized
        on crosswalk.source_code is null
            and {{ normalize_code('crm_codes.source_code') }} = normalized.master_key
    where crm_codes.source_code is not null

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
        end as mapping_method

    from gl_codes
    left join crosswalk
        on crosswalk.source_system = 'gl'
            and gl_codes.source_code = crosswalk.source_code
    left join families as listed on upper(trim(crosswalk.master_family)) = listed.master_family
    left join families as normalized
        on crosswalk.source_code is null
            and {{ normalize_code('gl_codes.source_code') }} = normalized.family_key
    where gl_codes.source_code is not null

),

mapped as (

    select * from erp_mapped
    union all
    select * from crm_mapped
    union all
    select * from gl_mapped

)

select * from mapped
