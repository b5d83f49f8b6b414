with

routings as (

    select * from {{ ref('stg_erp__routings') }}

),

items as (

    select * from {{ ref('int_items_checked') }}
    where quarantine_rule is null

),

resources as (

    select * from {{ ref('int_resources_checked') }}
    where quarantine_rule is null

),

checked as (

    select
        routings.*,
        {{ quarantine_rule(key_rules(['routings.erp_item', 'routings.resource_id']) + [
            ['routings.hours_per_unit is null', 'missing_value'],
            ['items.erp_item is null', 'unknown_item'],
            ['resources.resource_id is null and exists (select 1 from resources)', 'unknown_resource'],
            ['routings.hours_per_unit <= 0', 'non_positive_quantity'],
        ]) }} as quarantine_rule

    from routings
    left join items on routings.erp_item = items.erp_item
    left join resources on routings.resource_id = resources.resource_id

)

select * from checked
