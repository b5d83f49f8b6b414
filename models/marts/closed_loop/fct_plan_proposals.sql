{#- Proposed corrections to the statistical baseline, raised in each cycle and kept
    (incremental, append-only by cycle; a cycle already archived is never rewritten): for a
    master SKU whose lag-1 misses over the last var proposal_periods (default 3) closed
    periods were forecast error (beyond the noise band) the same way in at least
    var proposal_min_periods (default 2) of them, re-level the baseline by what is left of
    that forecast error:

        factor = sum(plan + forecast error) / sum(plan x adaptation)

    over those periods, kept between 1 and sum(plan + forecast error) / sum(plan): never
    more than the error seen, never against it.
    - plan + forecast error is the level demand ran at according to the decomposition,
      without the SKU's own noise (demand variability), customer mix or supply disruption;
    - adaptation = this cycle's baseline / the baseline the period's own cycle published,
      for the same next three periods (fct_plan_archive): how far the model has moved since
      it made that miss (1 when it has not).
    Both are like for like, so seasonality does not leak into the factor; a model that has
    caught up is not corrected twice, nor pushed back when it moved further than the error.
    Raised only when the change is at least var proposal_min_change (default 0.10). A
    planner decides through plan/decisions (proposal_id); an accepted or modified proposal
    changes the next cycle's consensus plan (fct_consensus_plan).
    proposal_id = PRP-<cycle>-<master_sku>, stable across re-runs. Each row carries its
    provenance: the invocation_id and built_at of the build that raised it (null on rows
    archived before the columns were added). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}
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

root_causes as (

    select * from {{ ref('fct_plan_miss_root_causes') }}

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

),

baseline_levels as (

    select
        master_sku,
        avg(forecast_units) as baseline_level_units

    from baseline
    where horizon_step <= 3
    group by master_sku

),

latest_causes as (

    select
        root_causes.master_sku,
        arg_max(root_causes.assumption_broken, root_causes.period_id) as assumption_broken

    from root_causes
    where root_causes.lag = 1 and root_causes.root_cause = 'forecast_error'
    group by root_causes.master_sku

),

candidates as (

    select
        cycle.cycle,
        evidence.master_sku,
        evidence.master_family,
        evidence.n_periods,
        evidence.first_period_id,
        evidence.last_period_id,
        cast(baseline_levels.baseline_level_units * evidence.bias_ratio as double) as proposed_level_units,
        cast(baseline_levels.baseline_level_units as double) as baseline_level_units,
        cast(evidence.recent_bias_pct as double) as recent_bias_pct,
        evidence.adaptation,
        latest_causes.assumption_broken

    from evidence
    cross join cycle
    inner join baseline_levels on evidence.master_sku = baseline_levels.master_sku
    left join latest_causes on evidence.master_sku = latest_causes.master_sku
    where
        evidence.n_periods >= {{ var('proposal_min_periods') }}
        and baseline_levels.baseline_level_units > 0 and evidence.bias_ratio is not null

),

final as (

    select
        'PRP-' || cycle || '-' || master_sku as proposal_id,
        cycle,
        master_sku,
        master_family,
        're-level' as proposal_type,
        baseline_level_units,
        proposed_level_units,
        proposed_level_units / baseline_level_units - 1 as change_pct,
        recent_bias_pct,
        n_periods as n_forecast_error_periods,
        'lag-1 demand ' || case when proposed_level_units >= baseline_level_units then 'above' else 'below' end
        || ' the plan beyond noise in ' || n_periods || ' of the periods '
        || first_period_id || ' to ' || last_period_id || ' ('
        || case when recent_bias_pct >= 0 then '+' else '' end || cast(round(100 * recent_bias_pct) as bigint) || '% over them all)'
        || coalesce('; ' || assumption_broken, '')
        || case
            when abs(adaptation - 1) >= 0.005
                then
                    '; the baseline has since moved ' || case when adaptation >= 1 then '+' else '' end
                    || cast(round(100 * (adaptation - 1)) as bigint) || '% of its own accord'
            else ''
        end as reason,
        'scale the baseline by ' || round(proposed_level_units / baseline_level_units, 3)
        || ': from ' || round(baseline_level_units, 1) || ' to ' || round(proposed_level_units, 1)
        || ' units per period over the horizon' as proposed_change,
        {{ provenance_columns() }}

    from candidates
    where abs(proposed_level_units / baseline_level_units - 1) >= {{ var('proposal_min_change') }}

)

select * from final
{{ archive_new_cycles_only() }}
