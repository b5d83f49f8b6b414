{#- The master SKU list, one row per master. When the crosswalk (master/sku_crosswalk) names
    master SKUs, the masters are exactly those (`master_source` = crosswalk); otherwise every
    ERP item is a master under its normalized code (`erp_items`), as ERP is then the item
    master. `master_prefix` is the alphabetic prefix most master codes share (used by the
    normalization rule `master_prefix`: 40017 <-> XY40017), empty when under half share one. -#}
-- depends_on: {{ ref('code_normalization_rules') }}
{%- set rules = code_normalization_rules() %}
with

crosswalk as (

    select * from {{ ref('int_sku_crosswalk_checked') }}
    where quarantine_rule is null and source_system in ('crm', 'erp')

),

items as (

    select * from {{ ref('stg_erp__items') }}
    where erp_item is not null

),

crosswalk_masters as (

    select
        master_sku,
        min(upper(trim(master_family))) as master_family,
        'crosswalk' as master_source

    from crosswalk
    group by master_sku

),

item_masters as (

    select
        {{ master_key('erp_item', rules) }} as master_sku,
        min(upper(trim(erp_family))) as master_family,
        'erp_items' as master_source

    from items
    where not exists (select 1 from crosswalk_masters)
    group by {{ master_key('erp_item', rules) }}

),

masters as (

    select * from crosswalk_masters
    union all
    select * from item_masters

),

prefixes as (

    select
        regexp_extract({{ master_key('master_sku', rules) }}, '^[A-Z]+') as master_prefix,
        count(*) as n_masters

    from masters
    group by master_prefix

),

shared_prefix as (

    select max(master_prefix) as master_prefix
    from prefixes
    where
        master_prefix != ''
        and n_masters * 2 >= (select count(*) from masters)
        and n_masters = (
            select max(other.n_masters) from prefixes as other
            where other.master_prefix != ''
        )

),

with_prefix as (

    select
        masters.master_sku,
        masters.master_family,
        masters.master_source,
        coalesce(shared_prefix.master_prefix, '') as master_prefix

    from masters
    cross join shared_prefix

)

select * from with_prefix
