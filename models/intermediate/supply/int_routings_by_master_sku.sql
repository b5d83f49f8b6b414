{#- Routings (erp/routings, used rows) keyed by master SKU: hours per each on each resource. -#}
with

routings as (

    select * from {{ ref('int_routings_checked') }}
    where quarantine_rule is null

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp' and master_sku is not null

),

final as (

    select
        codes.master_sku,
        routings.resource_id,
        sum(routings.hours_per_unit) as hours_per_unit

    from routings
    inner join codes on routings.erp_item = codes.source_code
    group by codes.master_sku, routings.resource_id

)

select * from final
