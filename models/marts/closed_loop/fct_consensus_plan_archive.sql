{#- Every cycle's consensus plan, kept: incremental, append-only by cycle, a cycle already
    archived is never rewritten (like fct_plan_archive), so accuracy can score the
    consensus as it was published and a decision's effect stays visible. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

with

consensus as (

    select * from {{ ref('fct_consensus_plan') }}

)

select
    consensus.*,
    {{ provenance_columns() }}

from consensus
{{ archive_new_cycles_only() }}
