{#- What the miss decomposition needs, per published cycle, lag (1..var accuracy_max_lag),
    master SKU and closed target period: the statistical baseline as published
    (fct_plan_archive) with its 95% interval and the SKU's demand class then, the unconstrained demand (order lines on
    their requested date, int_demand_history_by_sku_period), what shipped in the period,
    whether supply failed the SKU there (int_supply_evidence_by_sku_period) and the units
    customers moved onto or off it against their usual split (int_customer_mix_by_sku_period). -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

shipped as (

    select * from {{ ref('int_shipments_by_sku_period') }}

),

evidence as (

    select * from {{ ref('int_supply_evidence_by_sku_period') }}

),

customer_mix as (

    select * from {{ ref('int_customer_mix_by_sku_period') }}

),

final as (

    select
        archive.cycle,
        cast(archive.horizon_step as bigint) as lag,
        archive.master_sku,
        archive.master_family,
        archive.demand_class,
        archive.period_id,
        cast(archive.forecast_units as decimal(38, 6)) as plan_units,
        cast((archive.hi_95 - archive.lo_95) / 2 as decimal(38, 6)) as noise_band_units,
        cast(coalesce(history.demand_units, 0) as decimal(38, 6)) as requested_units,
        cast(coalesce(shipped.shipped_units, 0) as decimal(38, 6)) as shipped_units,
        evidence.master_sku is not null as has_supply_evidence,
        evidence.suppliers,
        evidence.max_days_late,
        evidence.n_stockout_snapshots,
        coalesce(customer_mix.customer_mix_units, 0) as customer_evidence_units,
        customer_mix.top_customer_id,
        customer_mix.top_customer_change_units,
        customer_mix.top_customer_usual_units,
        customer_mix.mix_confidence as customer_mix_confidence

    from archive
    cross join cycle
    inner join periods on archive.period_id = periods.period_id
    left join history
        on archive.master_sku = history.master_sku
            and archive.period_id = history.period_id
    left join shipped
        on archive.master_sku = shipped.master_sku
            and archive.period_id = shipped.period_id
    left join evidence
        on archive.master_sku = evidence.master_sku
            and archive.period_id = evidence.period_id
    left join customer_mix
        on archive.cycle = customer_mix.cycle
            and archive.master_sku = customer_mix.master_sku
            and archive.period_id = customer_mix.period_id
    where periods.period_end < cycle.as_of_date and archive.horizon_step <= {{ max_lag }}

)

select * from final
