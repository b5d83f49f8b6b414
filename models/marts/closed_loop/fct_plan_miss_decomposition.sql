{#- Why the plan missed: for every published cycle, lag, master SKU and closed period, the
    miss of the statistical baseline against what shipped, split into four parts that add
    up exactly (decimal arithmetic) to the total:

        total_miss = shipped - plan
                   = supply_disruption + customer_mix + demand_variability + forecast_error

    with D = requested (unconstrained) demand, P = plan, F = the SKU's family in the same
    cycle, lag and period, w = P / P_F the SKU's share of the family plan, and the noise
    band b = half the width of the plan's 95% interval (b_F = sqrt(sum b^2) for the family):
    - service gap  shipped - D: demand that was there but did not ship in the period (or
      shipped late from before). It is *supply disruption* where supply failed the SKU in
      the period (int_supply_evidence_by_sku_period: late receipts, stock-outs), otherwise
      timing noise (demand variability).
    - volume effect (D_F - P_F) * w: the SKU's share of the family's volume miss. It is
      *forecast error* when the family's miss is significant (int_plan_miss_bands: its
      relative miss, or for mostly intermittent / lumpy families its cumulative miss over a
      window, beyond the family's own error distribution at var miss_confidence, from
      archived and backtest residuals): a bias or level shift the plan did not see;
      otherwise demand variability. Its *significant part*
      (significant_forecast_error_units) is what lies beyond the band:
      forecast error x (|statistic| - band) / |statistic| (a proposal over n periods is
      sized on the part beyond band / sqrt(n), int_forecast_error_evidence_by_sku).
    - mix effect (D - P) - volume effect = D - D_F * w: the family's volume split across its
      SKUs differently from the plan (price-volume-mix in units; it sums to zero over the
      family). Its *customer mix* part is what customers demonstrably moved onto or off the
      SKU against their own usual split, their family volume unchanged
      (int_customer_mix_by_sku_period); the rest of it is demand variability.
    - demand variability: the rest, what lies inside the forecast's expected noise.
    Positive parts mean demand (or shipments) above plan. The family's 95% interval band b_F
    (family_noise_band_units) is kept for reference; it does not decide. -#}
with

inputs as (

    select * from {{ ref('int_plan_miss_inputs') }}

),

bands as (

    select * from {{ ref('int_plan_miss_bands') }}

),

families as (

    select
        cycle,
        lag,
        master_family,
        period_id,
        sum(plan_units) as family_plan_units,
        sum(requested_units) as family_requested_units,
        sqrt(sum(cast(noise_band_units as double) * cast(noise_band_units as double))) as family_noise_band_units

    from inputs
    group by cycle, lag, master_family, period_id

),

effects as (

    select
        inputs.*,
        families.family_plan_units,
        families.family_requested_units,
        families.family_noise_band_units,
        bands.miss_judged_on,
        bands.miss_statistic,
        bands.miss_band,
        bands.miss_confidence,
        bands.miss_band_source,
        bands.is_miss_significant,
        inputs.shipped_units - inputs.plan_units as total_miss_units,
        inputs.requested_units - inputs.plan_units as demand_miss_units,
        inputs.shipped_units - inputs.requested_units as service_gap_units,
        case
            when families.family_plan_units > 0
                then cast(
                        (families.family_requested_units - families.family_plan_units)
                        * inputs.plan_units / families.family_plan_units as decimal(38, 6)
                    )
            else cast(0 as decimal(38, 6))
        end as volume_effect_units

    from inputs
    inner join families
        on inputs.cycle = families.cycle
            and inputs.lag = families.lag
            and inputs.master_family = families.master_family
            and inputs.period_id = families.period_id
    inner join bands
        on inputs.cycle = bands.cycle
            and inputs.lag = bands.lag
            and inputs.master_family = bands.master_family
            and inputs.period_id = bands.period_id

),

classified as (

    select
        *,
        demand_miss_units - volume_effect_units as mix_effect_units,
        is_miss_significant as is_volume_beyond_noise

    from effects

),

parts as (

    select
        *,
        case when has_supply_evidence then service_gap_units else 0 end as supply_disruption_units,
        customer_evidence_units as customer_mix_units,
        case when is_volume_beyond_noise then volume_effect_units else 0 end as forecast_error_units,
        case
            when is_volume_beyond_noise
                then cast(
                        cast(volume_effect_units as double) * (abs(miss_statistic) - miss_band) / abs(miss_statistic)
                        as decimal(38, 6)
                    )
            else 0
        end as significant_forecast_error_units

    from classified

),

final as (

    select
        cycle,
        lag,
        master_sku,
        master_family,
        period_id,
        plan_units,
        requested_units,
        shipped_units,
        total_miss_units,
        cast(supply_disruption_units as decimal(38, 6)) as supply_disruption_units,
        cast(customer_mix_units as decimal(38, 6)) as customer_mix_units,
        cast(
            total_miss_units - supply_disruption_units - customer_mix_units - forecast_error_units
            as decimal(38, 6)
        ) as demand_variability_units,
        cast(forecast_error_units as decimal(38, 6)) as forecast_error_units,
        cast(significant_forecast_error_units as decimal(38, 6)) as significant_forecast_error_units,
        service_gap_units,
        volume_effect_units,
        mix_effect_units,
        noise_band_units,
        cast(family_plan_units as decimal(38, 6)) as family_plan_units,
        cast(family_requested_units as decimal(38, 6)) as family_requested_units,
        family_noise_band_units,
        has_supply_evidence,
        is_volume_beyond_noise,
        miss_judged_on,
        miss_statistic,
        miss_band,
        miss_confidence,
        miss_band_source,
        suppliers,
        max_days_late,
        n_stockout_snapshots,
        top_customer_id,
        top_customer_change_units,
        top_customer_usual_units,
        customer_mix_confidence

    from parts

)

select * from final
