with

products as (

    select * from {{ ref('stg_crm__products') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'crm'

),

checked as (

    select
        products.*,
        codes.master_sku,
        {{ quarantine_rule(key_rules(['products.crm_product_code']) + [
        ] + code_rules('codes') + [
            ['products.list_price < 0', 'negative_value'],
        ]) }} as quarantine_rule

    from products
    left join codes on products.crm_product_code = codes.source_code

)

select * from checked
