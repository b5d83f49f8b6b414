with

promotions as (

    select * from {{ ref('stg_crm__promotions') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'crm'

),

checked as (

    select
        promotions.*,
        codes.master_sku,
        {{ quarantine_rule(key_rules(['promotions.promo_id']) + [
            ['promotions.start_date is null or promotions.end_date is null', 'missing_value'],
            ['codes.master_sku is null', 'unmapped_code'],
            ['promotions.end_date < promotions.start_date', 'invalid_date_range'],
            ['promotions.discount_pct not between 0 and 100', 'out_of_range'],
        ]) }} as quarantine_rule

    from promotions
    left join codes on promotions.crm_product_code = codes.source_code

)

select * from checked
