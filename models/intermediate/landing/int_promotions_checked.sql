with

promotions as (

    select * from {{ ref('stg_crm__promotions') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'crm'

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

checked as (

    select
        promotions.*,
        codes.master_sku,
        {{ quarantine_rule(key_rules(['promotions.promo_id']) + [
            ['promotions.start_date is null or promotions.end_date is null', 'missing_value'],
        ] + code_rules('codes') + [
            ['promotions.end_date < promotions.start_date', 'invalid_date_range'],
            ['promotions.discount_pct not between 0 and 100', 'out_of_range'],
            ['promotions.start_date > landing_as_of.horizon_end_date', 'beyond_horizon'],
        ]) }} as quarantine_rule

    from promotions
    cross join landing_as_of
    left join codes on promotions.crm_product_code = codes.source_code

)

select * from checked
