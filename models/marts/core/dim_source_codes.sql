{#- Every code CRM, ERP and GL use, and what it maps to: a master SKU (CRM, ERP), a family
    (GL product lines), `ambiguous` or `unmapped`, with how it was resolved and which rule
    matched. -#}
with

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}

)

select
    source_system,
    source_code,
    master_sku,
    master_family,
    mapping_method,
    mapping_rule,
    mapping_method not in ('unmapped', 'ambiguous') as is_mapped

from codes
