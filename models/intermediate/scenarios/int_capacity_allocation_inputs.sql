{#- The capacity allocation programme's lines: per master SKU, horizon period and resource
    it routes through, the hours per unit, the consensus plan and the unit margin (price -
    standard cost at the reporting rate, dim_skus and seeds/fx_rates.csv). Read by the
    Python model int_capacity_allocation. -#}
with

plan as (

    select * from {{ ref('fct_consensus_plan') }}

),

routings as (

    select * from {{ ref('int_routings_by_master_sku') }}

),

skus as (

    select * from {{ ref('dim_skus') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

final as (

    select
        plan.master_sku,
        plan.period_id,
        routings.resource_id,
        cast(routings.hours_per_unit as double) as hours_per_unit,
        cast(plan.consensus_units as double) as plan_units,
        cast(coalesce(skus.unit_price, 0) - coalesce(skus.std_cost, 0) * coalesce(fx_rates.rate_to_reporting, 0) as double)
            as unit_margin

    from plan
    inner join routings on plan.master_sku = routings.master_sku
    left join skus on plan.master_sku = skus.master_sku
    left join fx_rates on coalesce(skus.currency, '{{ var("reporting_currency") }}') = fx_rates.currency

)

select * from final
