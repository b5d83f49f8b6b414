{#- Every cycle's published statistical baseline, kept: incremental, keyed by cycle, and a
    cycle already archived is never rewritten (a re-run of the same cycle adds nothing), so
    accuracy can later be measured on what was actually published. `dbt build
    --full-refresh` starts the archive afresh. Each row carries its provenance: the
    invocation_id and built_at of the build that archived it. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
) }}

with

forecasts as (

    select * from {{ ref('fct_demand_forecast') }}

)

select
    forecasts.*,
    {{ provenance_columns() }}

from forecasts
{{ archive_new_cycles_only() }}
