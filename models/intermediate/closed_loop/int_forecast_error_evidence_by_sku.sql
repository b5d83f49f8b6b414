{#- The evidence for re-levelling a master SKU's baseline (read by int_plan_proposals):
    its lag-1 misses over the last var proposal_periods (default 3) closed periods
    (fct_plan_miss_decomposition), those that were forecast error (beyond the noise band)
    the way most of them went, and the factor that re-levels the baseline by what is left of
    that forecast error:

        bias_ratio = sum(plan + forecast error) / sum(plan x adaptation)

    over those periods, kept between 1 and evidence_ratio = sum(plan + forecast error) /
    sum(plan): never more than the error seen, never against it.
    - plan + forecast error is the level demand ran at according to the decomposition,
      without the SKU's own noise (demand variability), customer mix or supply disruption;
    - adaptation = this cycle's baseline / the baseline the period's own cycle published,
      for the same next three periods (fct_demand_forecast, fct_plan_archive): how far the
      model has moved since it made that miss (1 when it has not).
    One row per master SKU with a lag-1 miss in those periods and a positive adapted plan
    over its forecast-error periods (none without any). -#}
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
        / nullif(sum(plan_units) filter (where is_evidence), 0) as evidence_ratio,
        sum(adapted_plan_units) filter (where is_evidence)
        / nullif(sum(plan_units) filter (where is_evidence), 0) as adaptation,
        sum(requested_units) / nullif(sum(plan_units), 0) - 1 as recent_bias_pct,
        min(period_id) as first_period_id,
        max(period_id) as last_period_id

    from evidence_rows
    group by master_sku

),

evidence as (

    select
        evidence_sums.*,
        case
            when evidence_sums.evidence_ratio >= 1
                then least(greatest(evidence_sums.evidence_ratio / evidence_sums.adaptation, 1), evidence_sums.evidence_ratio)
            else greatest(least(evidence_sums.evidence_ratio / evidence_sums.adaptation, 1), evidence_sums.evidence_ratio)
        end as bias_ratio

    from evidence_sums
    where evidence_sums.adaptation > 0

)

select * from evidence
