{#- The evidence for re-levelling a master SKU's baseline (read by int_plan_proposals):
    its lag-1 misses over the last var proposal_periods (default 3) closed periods
    (fct_plan_miss_decomposition), those that were forecast error (the family's miss
    beyond its own error band) the way most of them went, and the factor that re-levels the
    baseline by what is left of the significant part of that forecast error:
    - seen_ratio = sum(plan + forecast error) / sum(plan) over those n periods: the level
      demand ran at according to the decomposition, without the SKU's own noise (demand
      variability), customer mix or supply disruption;
    - evidence_ratio = 1 + its significant part: |seen_ratio - 1| less miss_band / sqrt(n),
      the family's own one-period error band (its mean over those periods) shrunk for the
      mean of n periods, never below 0, in the direction of the error. A +24% run against a
      band of +/-19% over three periods supports +13%, not +24%: what the evidence supports;
    - adaptation = this cycle's baseline / the baseline the period's own cycle published,
      for the same next three periods (fct_demand_forecast, fct_plan_archive): how far the
      model has moved since it made that miss (1 when it has not);
    - bias_ratio = evidence_ratio / adaptation, kept between 1 and evidence_ratio: never
      more than the evidence, never against it.
    One row per master SKU with a lag-1 miss in those periods, at least one forecast-error
    period and a positive adapted plan over them. -#}
{%- set n_periods = var('proposal_periods') %}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

decomposition as (

    select * from {{ ref('fct_plan_miss_decomposition') }}

),

baseline as (

    select * from {{ ref('fct_demand_forecast') }}

),

archive as (

    select * from {{ ref('fct_plan_archive') }}

),

recent as (

    select
        decomposition.*,
        periods.period_seq

    from decomposition
    inner join periods on decomposition.period_id = periods.period_id
    cross join cycle
    where
        decomposition.lag = 1
        and periods.period_seq between cycle.cycle_period_seq - {{ n_periods }} and cycle.cycle_period_seq - 1

),

direction as (

    select
        master_sku,
        case
            when count(*) filter (where forecast_error_units > 0) >= count(*) filter (where forecast_error_units < 0)
                then 1
            else -1
        end as direction

    from recent
    group by master_sku

),

next_periods as (

    select
        master_sku,
        period_id,
        forecast_units

    from baseline
    where horizon_step <= 3

),

adaptation as (

    select
        archive.cycle,
        archive.master_sku,
        sum(next_periods.forecast_units) / nullif(sum(archive.forecast_units), 0) as adaptation

    from archive
    inner join next_periods
        on archive.master_sku = next_periods.master_sku
            and archive.period_id = next_periods.period_id
    group by archive.cycle, archive.master_sku

),

evidence_rows as (

    select
        recent.master_sku,
        recent.master_family,
        recent.period_id,
        recent.requested_units,
        recent.plan_units,
        sign(recent.forecast_error_units) = direction.direction as is_evidence,
        recent.plan_units + recent.forecast_error_units as evidenced_level_units,
        recent.miss_band,
        recent.plan_units * coalesce(adaptation.adaptation, 1) as adapted_plan_units

    from recent
    inner join direction on recent.master_sku = direction.master_sku
    left join adaptation
        on recent.cycle = adaptation.cycle
            and recent.master_sku = adaptation.master_sku

),

evidence_sums as (

    select
        master_sku,
        any_value(master_family) as master_family,
        count(*) filter (where is_evidence) as n_periods,
        sum(evidenced_level_units) filter (where is_evidence)
        / nullif(sum(plan_units) filter (where is_evidence), 0) as seen_ratio,
        avg(miss_band) filter (where is_evidence) as miss_band,
        sum(adapted_plan_units) filter (where is_evidence)
        / nullif(sum(plan_units) filter (where is_evidence), 0) as adaptation,
        sum(requested_units) / nullif(sum(plan_units), 0) - 1 as recent_bias_pct,
        min(period_id) as first_period_id,
        max(period_id) as last_period_id

    from evidence_rows
    group by master_sku

),

significant as (

    select
        *,
        1 + sign(seen_ratio - 1) * greatest(abs(seen_ratio - 1) - coalesce(miss_band, 0) / sqrt(n_periods), 0)
            as evidence_ratio

    from evidence_sums
    where adaptation > 0 and n_periods > 0

),

evidence as (

    select
        *,
        case
            when evidence_ratio >= 1 then least(greatest(evidence_ratio / adaptation, 1), evidence_ratio)
            else greatest(least(evidence_ratio / adaptation, 1), evidence_ratio)
        end as bias_ratio

    from significant

)

select * from evidence
