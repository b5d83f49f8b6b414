{#- Every cycle's risk register, kept: incremental, append-only by cycle (a cycle already
    archived is never rewritten), so a risk can be followed by its risk_id from the cycle
    it appeared to the cycle it closed (rpt_risk_register). Each row carries its
    provenance: the invocation_id and built_at of the build that archived it; an
    archive written before these columns existed gets them appended, null on its older rows
    (unknown: their builds were not recorded), instead of stopping every build or needing a
    --full-refresh that would lose the history. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

with

register as (

    select * from {{ ref('fct_risk_register') }}

)

select
    register.*,
    {{ provenance_columns() }}

from register
{{ archive_new_cycles_only() }}
