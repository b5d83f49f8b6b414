{#- Which dbt command last ran into the work database: the on-run-start hook after the vars
    are checked. Every `run`, `build`, `seed`, `snapshot` and `test` that gets this far may
    change the work database, so it replaces `_sop_runs.last_run` (one row: invocation id,
    command, start time) before anything is landed or built. `dbt docs generate` runs the
    hooks too but builds nothing (it lands the same landing folder again and reads the
    catalog), so it leaves the record alone. The nightly build
    (`python -m sop_analytics.nightly`) skips a build only when that row names the command
    that made the current published build: no later command, failed or selective, has
    changed the work database since. -#}
{% macro mark_work_run() %}
    {%- if not execute or flags.WHICH in ('generate', 'compile', 'show', 'list', 'ls', 'parse', 'serve') -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- do run_query('create schema if not exists _sop_runs') -%}
    {%- do run_query(
        'create or replace table _sop_runs.last_run as select '
        ~ sql_literal(invocation_id) ~ ' as invocation_id, '
        ~ sql_literal(flags.WHICH) ~ ' as dbt_command, '
        ~ sql_literal(run_started_at.strftime('%Y-%m-%dT%H:%M:%SZ')) ~ ' as started_at'
    ) -%}
    {{ return('select 1') }}
{% endmacro %}
