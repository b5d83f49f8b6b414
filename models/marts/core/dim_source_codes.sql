{#- Every code CRM, ERP and GL use, and what it maps to: a master SKU (CRM, ERP), a family
    (GL product lines) or `unmapped`, with how it was resolved (crosswalk, normalized). -#}
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
    mapping_method != 'unmapped' as is_mapped

from codes
