{#- Build, then publish: the on-run-end hook of every `dbt run` and `dbt build`.

    A run that had any failure (a model or seed error, a test failing at severity error, a
    skipped node) publishes nothing: it puts the work database's archives and landed
    tables back as they were (`restore_work_state`) and readers keep the previous build.

    A good run of the whole project (no --select / --exclude; or any run with var
    `publish: true`; `publish: false` never publishes) publishes the marts: into
    `<publish_dir>/.partial-<build_id>/` (var publish_dir, env SOP_PUBLISH_DIR, default
    build/published) it writes `parquet/<mart>.parquet` for every table of the marts
    schema (rows in a fixed order; the build id in the key-value metadata `sop_build_id`),
    `sop.duckdb` (the marts, the landed tables and `published.build`) and `manifest.json`
    (cycle, time, invocation, marts with their row counts); then one call
    (`sop_publish_commit`, see sop_analytics.published) renames the folder to `<build_id>`
    and replaces `CURRENT` atomically, and keeps the newest `publish_keep` builds
    (default 3). -#}
{% macro publish_build(results) %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set failed = [] -%}
    {%- for result in results -%}
        {%- if (result.status | string) in ('error', 'fail', 'runtime error', 'skipped') -%}
            {%- do failed.append(result.node.name ~ ' (' ~ result.status ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set root = (var('publish_dir') | string).rstrip('/') -%}
    {%- if failed | length > 0 or results | length == 0 -%}
        {%- do restore_work_state() -%}
        {%- do log(
            'Not published: ' ~ (failed | length) ~ ' node(s) failed or were skipped ('
            ~ (failed[:5] | join(', ')) ~ (', ...' if failed | length > 5 else '')
            ~ '). Readers of ' ~ root ~ ' keep the previous build.', info=true
        ) if failed | length > 0 else none -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- do release_work_state() -%}

    {%- set wanted = var('publish') | string | lower -%}
    {%- set args = invocation_args_dict -%}
    {%- set selected = args.get('select') or args.get('exclude') or args.get('selector') -%}
    {%- if flags.WHICH not in ('run', 'build') or wanted == 'false' or (wanted == 'auto' and selected) -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- do publish_marts(root) -%}
    {{ return('select 1') }}
{% endmacro %}


{% macro publish_marts(root) %}
    {%- set build_id = run_started_at.strftime('%Y%m%dT%H%M%S') ~ 'Z-' ~ invocation_id[:8] -%}
    {%- set marts = run_query(
        "select table_name from duckdb_tables() where database_name = current_database() "
        ~ "and schema_name = 'marts' order by table_name"
    ).columns[0].values() -%}
    {%- set landed = run_query(
        "select table_name from duckdb_tables() where database_name = current_database() "
        ~ "and schema_name = 'landing' order by table_name"
    ).columns[0].values() -%}
    {%- if marts | length == 0 -%}
        {%- do log('Nothing to publish: the marts schema is empty.', info=true) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set cycle = 'null' -%}
    {%- if sop_table_exists('intermediate', 'int_planning_cycle') -%}
        {%- set cycle = "(select cycle from intermediate.int_planning_cycle)" -%}
    {%- endif -%}
    {%- set partial = run_query(
        'select sop_publish_begin(' ~ sql_literal(root) ~ ', ' ~ sql_literal(build_id) ~ ')'
    ).columns[0].values()[0] -%}
    {%- set metadata = "kv_metadata {sop_build_id: " ~ sql_literal(build_id) ~ "}" -%}
    {%- for mart in marts -%}
        {%- do run_query(
            'copy (select * from marts."' ~ mart ~ '" order by all) to '
            ~ sql_literal(partial ~ '/parquet/' ~ mart ~ '.parquet') ~ ' (format parquet, ' ~ metadata ~ ')'
        ) -%}
    {%- endfor -%}
    {%- do run_query('attach ' ~ sql_literal(partial ~ '/sop.duckdb') ~ ' as sop_published') -%}
    {%- do run_query('create schema sop_published.marts') -%}
    {%- do run_query('create schema sop_published.landing') -%}
    {%- do run_query('create schema sop_published.published') -%}
    {%- for mart in marts -%}
        {%- do run_query('create table sop_published.marts."' ~ mart ~ '" as select * from marts."' ~ mart ~ '" order by all') -%}
    {%- endfor -%}
    {%- for table in landed -%}
        {%- do run_query('create table sop_published.landing."' ~ table ~ '" as select * from landing."' ~ table ~ '"') -%}
    {%- endfor -%}
    {%- set counts = [] -%}
    {%- for mart in marts -%}
        {%- do counts.append("{'name': " ~ sql_literal(mart) ~ ", 'rows': (select count(*) from marts.\"" ~ mart ~ "\")}") -%}
    {%- endfor -%}
    {%- set manifest_sql -%}
        select
            {{ sql_literal(build_id) }} as build_id,
            {{ cycle }} as cycle,
            {{ sql_literal(run_started_at.strftime('%Y-%m-%dT%H:%M:%SZ')) }} as built_at,
            {{ sql_literal(invocation_id) }} as invocation_id,
            {{ sql_literal(flags.WHICH) }} as dbt_command,
            {{ sql_literal(var('landing_dir')) }} as landing_dir,
            [{{ counts | join(', ') }}] as marts
    {%- endset -%}
    {%- do run_query('create table sop_published.published.build as ' ~ manifest_sql) -%}
    {%- do run_query('detach sop_published') -%}
    {%- do run_query('copy (' ~ manifest_sql ~ ') to ' ~ sql_literal(partial ~ '/manifest.json') ~ ' (format json)') -%}
    {%- set folder = run_query(
        'select sop_publish_commit(' ~ sql_literal(root) ~ ', ' ~ sql_literal(build_id) ~ ', '
        ~ (var('publish_keep') | int) ~ ')'
    ).columns[0].values()[0] -%}
    {%- do log('Published ' ~ (marts | length) ~ ' marts as build ' ~ build_id ~ ': ' ~ folder, info=true) -%}
{% endmacro %}
