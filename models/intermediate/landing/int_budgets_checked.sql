with

budgets as (

    select * from {{ ref('stg_gl__budgets') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'gl'

),

checked as (

    select
        budgets.*,
        codes.master_family,
        {{ quarantine_rule(key_rules(['budgets.fiscal_year', 'budgets.fiscal_period', 'budgets.product_line']) + [
            ['budgets.revenue is null or budgets.cogs is null', 'missing_value'],
            ['codes.master_family is null', 'unmapped_code'],
            ['budgets.revenue < 0 or budgets.cogs < 0', 'negative_value'],
            ['budgets.fiscal_period not between 1 and 12', 'invalid_fiscal_period'],
        ]) }} as quarantine_rule

    from budgets
    left join codes on budgets.product_line = codes.source_code

)

select * from checked
