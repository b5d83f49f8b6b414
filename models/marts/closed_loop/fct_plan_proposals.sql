{#- Proposed corrections to the statistical baseline, raised in each cycle
    (int_plan_proposals, on the evidence of int_forecast_error_evidence_by_sku) and kept
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

with

proposals as (

    select * from {{ ref('int_plan_proposals') }}

)

select
    proposals.*,
    {{ provenance_columns() }}

from proposals
{{ archive_new_cycles_only() }}
