{#- The work database's persistent state, protected against a failed build.

    Most of what a build writes is rebuilt from the landing data by the next build. Two
    kinds of tables are not: the append-only archives (the incremental models
    fct_plan_archive, fct_consensus_plan_archive, fct_plan_proposals,
    fct_risk_register_history: a cycle once archived is never rewritten) and the landed
    tables (`landing.*`, replaced by the landing hook). A failed build must not leave
    them holding what it wrote, or the next good build would publish it.

    So the third on-run-start hook (`protect_work_state`, after `validate_vars` and
    `mark_work_run`) copies them into the schema `_sop_restore` and records the list last (`_sop_restore._state`, so a half-taken copy is
    never used). The on-run-end hook drops the copy after a good run and puts it back after
    a failed one (`restore_work_state`). A crashed run (killed, out of memory) runs no
    on-run-end hook: the next run finds the copy still there and puts it back before
    anything else. A table that did not exist before the failed run is dropped again. -#}
{% macro sop_protected_tables() %}
    {%- set tables = [] -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {%- if node.resource_type == 'model' and node.config.materialized == 'incremental' -%}
            {%- do tables.append([node.schema, node.alias]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- if node.schema == 'landing' -%}
            {%- do tables.append(['landing', node.identifier]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{% endmacro %}


{% macro sop_table_exists(schema, name) %}
    {%- set found = run_query(
        'select count(*) from duckdb_tables() where database_name = current_database() and schema_name = '
        ~ sql_literal(schema) ~ ' and table_name = ' ~ sql_literal(name)
    ).columns[0].values()[0] -%}
    {{ return(found > 0) }}
{% endmacro %}


{% macro protect_work_state() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- if sop_table_exists('_sop_restore', '_state') -%}
        {%- do log('The previous run did not finish (crashed or killed): putting back the archives and landed tables it started from.', info=true) -%}
        {%- do restore_work_state() -%}
    {%- endif -%}
    {%- do run_query('drop schema if exists _sop_restore cascade') -%}
    {%- do run_query('create schema _sop_restore') -%}
    {%- set rows = [] -%}
    {%- for item in sop_protected_tables() -%}
        {%- set copy = item[0] ~ '__' ~ item[1] -%}
        {%- if sop_table_exists(item[0], item[1]) -%}
            {%- do run_query('create table _sop_restore."' ~ copy ~ '" as select * from "' ~ item[0] ~ '"."' ~ item[1] ~ '"') -%}
            {%- do rows.append('(' ~ sql_literal(item[0]) ~ ', ' ~ sql_literal(item[1]) ~ ', ' ~ sql_literal(copy) ~ ')') -%}
        {%- else -%}
            {%- do rows.append('(' ~ sql_literal(item[0]) ~ ', ' ~ sql_literal(item[1]) ~ ', null)') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query(
        'create table _sop_restore._state as select *, ' ~ sql_literal(invocation_id) ~ ' as invocation_id from (values '
        ~ rows | join(', ') ~ ') as t(schema_name, table_name, copy_name)'
    ) -%}
    {{ return('select 1') }}
{% endmacro %}


{#- Put back the protected tables from `_sop_restore` (a failed or crashed run). -#}
{% macro restore_work_state() %}
    {%- if not sop_table_exists('_sop_restore', '_state') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set state = run_query('select schema_name, table_name, copy_name from _sop_restore._state order by 1, 2') -%}
    {%- for row in state.rows -%}
        {%- set target = '"' ~ row[0] ~ '"."' ~ row[1] ~ '"' -%}
        {%- if row[2] is none -%}
            {%- do run_query('drop table if exists ' ~ target) -%}
        {%- else -%}
            {%- do run_query('create schema if not exists "' ~ row[0] ~ '"') -%}
            {%- do run_query('create or replace table ' ~ target ~ ' as select * from _sop_restore."' ~ row[2] ~ '"') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do run_query('drop schema if exists _sop_restore cascade') -%}
    {%- do log('Put back ' ~ (state.rows | length) ~ ' archive and landed tables as they were before this run.', info=true) -%}
    {{ return('select 1') }}
{% endmacro %}


{% macro release_work_state() %}
    {%- do run_query('drop schema if exists _sop_restore cascade') -%}
    {{ return('select 1') }}
{% endmacro %}


{#- Drop the copy this run took, when the run stops in the landing hook (before any table
    was replaced, so there is nothing to put back). A copy left by an earlier crashed run
    is kept for the next run to put back. -#}
{% macro release_own_work_state() %}
    {%- if sop_table_exists('_sop_restore', '_state') -%}
        {%- set owner = run_query('select max(invocation_id) from _sop_restore._state').columns[0].values()[0] -%}
        {%- if owner == invocation_id -%}
            {%- do release_work_state() -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
