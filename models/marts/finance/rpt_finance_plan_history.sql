{#- The plan's history reconciled to GL actuals, per family and closed period with a
    published lag-1 consensus plan (fct_consensus_plan_archive), in the reporting currency:

        gl_revenue = plan_revenue + volume_miss_value + price_mix_value + erp_vs_gl_value

    - plan_revenue: the lag-1 consensus x the SKU's price (dim_skus.unit_price);
    - volume_miss_value: (shipped - planned units) x that price: the miss the closed loop
      decomposes by cause (fct_plan_miss_decomposition);
    - price_mix_value: what shipped, at the prices it shipped at, minus shipped units at the
      planning price: price and customer-price mix;
    - erp_vs_gl_value: GL revenue minus the value of ERP shipments, the Week 0 comparison
      `erp_shipments_vs_gl_revenue`; beyond its tolerance it is a row in
      fct_reconciliation_variances, and its cause is shown here.
    The parts add up to the GL revenue exactly (by construction). -#}
with

archive as (

    select * from {{ ref('fct_consensus_plan_archive') }}
    where horizon_step = 1

),

skus as (

    select * from {{ ref('dim_skus') }}

),

shipped_sku as (

    select * from {{ ref('int_shipments_by_sku_period') }}

),

compared as (

    select * from {{ ref('int_revenue_compared_erp_gl') }}

),

variances as (

    select * from {{ ref('fct_reconciliation_variances') }}
    where comparison = 'erp_shipments_vs_gl_revenue'

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

planned as (

    select
        archive.master_family,
        archive.period_id,
        sum(archive.consensus_units * coalesce(skus.unit_price, 0)) as plan_revenue

    from archive
    inner join periods on archive.period_id = periods.period_id
    cross join cycle
    left join skus on archive.master_sku = skus.master_sku
    where periods.period_end < cycle.as_of_date
    group by archive.master_family, archive.period_id

),

volume as (

    select
        archive.master_family,
        archive.period_id,
        sum((coalesce(shipped_sku.shipped_units, 0) - archive.consensus_units) * coalesce(skus.unit_price, 0))
            as volume_miss_value,
        sum(coalesce(shipped_sku.shipped_units, 0) * coalesce(skus.unit_price, 0)) as shipped_at_plan_price

    from archive
    left join shipped_sku
        on archive.master_sku = shipped_sku.master_sku
            and archive.period_id = shipped_sku.period_id
    left join skus on archive.master_sku = skus.master_sku
    group by archive.master_family, archive.period_id

),

final as (

    select
        planned.master_family,
        planned.period_id,
        '{{ var("reporting_currency") }}' as currency,
        cast(planned.plan_revenue as double) as plan_revenue,
        cast(volume.volume_miss_value as double) as volume_miss_value,
        cast(compared.left_value - volume.shipped_at_plan_price as double) as price_mix_value,
        cast(compared.right_value - compared.left_value as double) as erp_vs_gl_value,
        cast(compared.left_value as double) as shipped_value,
        cast(compared.right_value as double) as gl_revenue,
        variances.variance_id is null as is_erp_vs_gl_within_tolerance,
        coalesce(variances.cause, 'within_tolerance') as erp_vs_gl_cause,
        variances.variance_id

    from planned
    inner join volume
        on planned.master_family = volume.master_family
            and planned.period_id = volume.period_id
    inner join compared
        on planned.master_family = compared.subject
            and planned.period_id = compared.period_id
            and compared.comparison = 'erp_shipments_vs_gl_revenue'
    left join variances
        on planned.master_family = variances.subject
            and planned.period_id = variances.period_id

)

select * from final
