{#-
    Land the extracts of the landing contract into the `landing` schema.

    Runs as the project's on-run-start hook (after `validate_vars` and
    `protect_work_state`), so every `dbt build` starts here. For every source declared with
    `schema: landing` (the contract lives in those sources' YAML: column `data_type`,
    `meta.contract_type`, `meta.contract_min`, `meta.optional_column`, table `meta.required`):

    1. find `<landing_dir>/<system>/<entity>.csv`, `.parquet`, or a `.parquet` folder of
       part files (one entity); a broken link or an unreadable file is an error, not an
       absent entity (`sop_landing_probe`, sop_analytics.landing_files);
    2. a CSV must be UTF-8, no line over 2 MB, as many values per row as header columns
       (`sop_csv_scan`); read it with every column as text, remembering each row's position;
    3. stop the build with one message naming file, column, row and value when a required
       file or column is missing, a required entity has no rows, a Parquet `str` column is
       not stored as text, or a value does not parse exactly as its contract type (a whole
       number must be whole, and at least `meta.contract_min` when the column has one; a
       timestamp with a UTC offset is converted to UTC);
    4. check the vars that need the landed data (`cycle` within the calendar, the
       `long_tail_families` exist);
    5. only when every file passed, replace `landing.<system>__<entity>` with the typed
       rows (absent optional entities become empty tables) and record each file's status
       in `landing.landing_files` (`present` or `source_absent`).

    Nothing is replaced when any check fails, so a bad night's extract never publishes
    partial marts over a good previous build.
-#}
{% macro land_sources() %}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}

    {%- set landing_dir = (var('landing_dir') | string).rstrip('/') -%}
    {%- set entities = [] -%}
    {%- for node in graph.sources.values() | sort(attribute='unique_id') -%}
        {%- if node.schema == 'landing' and node.source_name != 'landing' -%}
            {%- do entities.append(node) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- do run_query('drop schema if exists _landing_incoming cascade') -%}
    {%- do run_query('create schema _landing_incoming') -%}

    {%- set landed = [] -%}
    {%- for node in entities -%}
        {%- set entity = node.source_name ~ '/' ~ node.name -%}
        {%- set base = landing_dir ~ '/' ~ entity -%}
        {%- set staged = '_landing_incoming."' ~ node.identifier ~ '"' -%}
        {%- set probe = fromjson(run_query('select sop_landing_probe(' ~ sql_literal(base) ~ ')').columns[0].values()[0]) -%}
        {%- set found = probe['found'] -%}
        {%- if found | length > 1 -%}
            {%- do landing_error(entity, 'both ' ~ base ~ '.csv and ' ~ base ~ '.parquet exist: keep exactly one file per entity') -%}
        {%- endif -%}
        {%- if found | length == 0 -%}
            {%- if node.meta.get('required', false) -%}
                {%- do landing_error(entity, 'required file missing: ' ~ base ~ '.csv (or .parquet) was not found in the landing folder ' ~ landing_dir) -%}
            {%- endif -%}
            {%- do landed.append({'node': node, 'file': none, 'staged': staged}) -%}
        {%- else -%}
            {%- set item = found[0] -%}
            {%- set file = item['path'] -%}
            {%- if item['problem'] is not none -%}
                {%- do landing_error(entity, 'file ' ~ file ~ ', column (all), row (all): ' ~ item['problem']) -%}
            {%- endif -%}
            {%- if item['kind'] == 'csv' -%}
                {%- set scan = run_query('select sop_csv_scan(' ~ sql_literal(file) ~ ', 2097152)').columns[0].values()[0] -%}
                {%- if scan is not none -%}
                    {%- set p = fromjson(scan) -%}
                    {%- do landing_error(entity,
                        'file ' ~ file ~ ', column ' ~ p['column'] ~ ', row ' ~ p['row'] ~ ' (line ' ~ p['line'] ~ ' of a CSV with its header)'
                        ~ ", value '" ~ p['value'] ~ "' " ~ p['problem']
                    ) -%}
                {%- endif -%}
                {%- set reader = "read_csv(" ~ sql_literal(file) ~ ", header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true, max_line_size = 2097153)" -%}
            {%- else -%}
                {%- set paths = [] -%}
                {%- for part in item['files'] -%}
                    {%- do paths.append(sql_literal(part)) -%}
                {%- endfor -%}
                {%- set reader = 'read_parquet([' ~ paths | join(', ') ~ '], union_by_name = true)' -%}
            {%- endif -%}
            {%- do run_query('create table ' ~ staged ~ ' as select * from ' ~ reader) -%}
            {%- do check_landed_file(node, file, staged, item['kind']) -%}
            {%- do landed.append({'node': node, 'file': file, 'staged': staged}) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set present = [] -%}
    {%- for item in landed if item.file is not none -%}
        {%- set n = run_query('select count(*) from ' ~ item.staged).columns[0].values()[0] -%}
        {%- if n > 0 -%}
            {%- do present.append(item.node.source_name ~ '/' ~ item.node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if 'erp/shipments' not in present and 'crm/orders' not in present -%}
        {%- do landing_error('erp/shipments, crm/orders', 'no demand history: at least one of ' ~ landing_dir ~ '/erp/shipments.csv and ' ~ landing_dir ~ '/crm/orders.csv (or .parquet) is required, with at least one row') -%}
    {%- endif -%}
    {%- do validate_cycle_in_calendar() -%}
    {%- do validate_long_tail_families() -%}

    {#- Every file passed: publish. -#}
    {%- do run_query('create schema if not exists landing') -%}
    {%- set status_rows = [] -%}
    {%- for item in landed -%}
        {%- do run_query(landing_publish_sql(item.node, item.file, item.staged)) -%}
        {%- set count = run_query('select count(*) from landing."' ~ item.node.identifier ~ '"').columns[0].values()[0] -%}
        {%- do status_rows.append(
            "('" ~ item.node.source_name ~ "', '" ~ item.node.name ~ "', "
            ~ ("'source_absent'" if item.file is none else "'present'") ~ ", "
            ~ ("null" if item.file is none else sql_literal(item.file)) ~ ", "
            ~ count ~ ", " ~ ('true' if item.node.meta.get('required', false) else 'false') ~ ")"
        ) -%}
    {%- endfor -%}
    {%- do run_query(
        'create or replace table landing.landing_files as select * from (values '
        ~ status_rows | join(', ')
        ~ ') as t(source_system, entity, status, file_path, rows_landed, is_required) order by source_system, entity'
    ) -%}
    {%- do run_query('drop schema if exists _landing_incoming cascade') -%}
    {{ return('select 1') }}
{% endmacro %}


{#- `cycle` (when set) must be a planning period of the landed master/fiscal_calendar when
    one is landed. Checked on the staged files, before anything is replaced. The generated
    calendar covers the data (int_calendar_days), so a cycle outside it is stopped by
    int_build_gate with the span the calendar covers. -#}
{% macro validate_cycle_in_calendar() %}
    {%- set cycle = planning_cycle_setting() -%}
    {%- if cycle is none or not sop_staged_exists('master__fiscal_calendar') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if var('planning_calendar') == 'calendar_month' -%}
        {%- set period = "strftime(try_cast(trim(cast(\"date\" as varchar)) as date), '%Y-%m')" -%}
    {%- else -%}
        {%- set period = "cast(try_cast(trim(cast(fiscal_year as varchar)) as integer) as varchar) || '-' || lpad(cast(try_cast(trim(cast(fiscal_period as varchar)) as integer) as varchar), 2, '0')" -%}
    {%- endif -%}
    {%- set bounds = run_query('select min(' ~ period ~ '), max(' ~ period ~ ') from _landing_incoming.master__fiscal_calendar').rows[0] -%}
    {%- set source = 'the landed master/fiscal_calendar' -%}
    {%- if bounds[0] is none or (cycle | string) < bounds[0] or (cycle | string) > bounds[1] -%}
        {%- do run_query('drop schema if exists _landing_incoming cascade') -%}
        {%- do release_own_work_state() -%}
        {%- do var_error(planning_cycle_setting_name(), cycle, 'is not a planning period of ' ~ source ~ ', which runs from ' ~ bounds[0] ~ ' to ' ~ bounds[1]) -%}
    {%- endif -%}
{% endmacro %}


{#- Every family named in var long_tail_families is a family of the landed erp/items. -#}
{% macro validate_long_tail_families() %}
    {%- set wanted = [] -%}
    {%- for family in (var('long_tail_families') | string).split(',') if family | trim != '' -%}
        {%- do wanted.append(family | trim) -%}
    {%- endfor -%}
    {%- if wanted | length == 0 or not sop_staged_exists('erp__items') -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set known = run_query('select distinct trim(cast(family as varchar)) from _landing_incoming.erp__items where family is not null order by 1').columns[0].values() -%}
    {%- for family in wanted if family not in known -%}
        {%- do run_query('drop schema if exists _landing_incoming cascade') -%}
        {%- do release_own_work_state() -%}
        {%- do var_error('long_tail_families', var('long_tail_families'), 'names the family ' ~ family ~ ', which is not a family of erp/items (families: ' ~ known | join(', ') ~ ')') -%}
    {%- endfor -%}
{% endmacro %}


{% macro sop_staged_exists(identifier) %}
    {{ return(sop_table_exists('_landing_incoming', identifier)) }}
{% endmacro %}


{% macro sql_quote(value) -%}
    {{- return((value | string).replace("'", "''")) -}}
{%- endmacro %}


{% macro landing_error(where, message) -%}
    {%- do run_query('drop schema if exists _landing_incoming cascade') -%}
    {%- do release_own_work_state() -%}
    {{- exceptions.raise_compiler_error(
        'Landing contract violated (' ~ where ~ '): ' ~ message
        ~ '. The build stopped before anything was replaced; the previous build is unchanged.'
    ) -}}
{%- endmacro %}


{#- The check of one landed file: required columns present, Parquet text columns stored as
    text, at least one row when the entity is required, every value parses exactly as its
    type. -#}
{% macro check_landed_file(node, file, staged, kind) %}
    {%- set entity = node.source_name ~ '/' ~ node.name -%}
    {%- set described = run_query(
        "select lower(column_name), data_type from duckdb_columns() where schema_name = '_landing_incoming' and table_name = "
        ~ sql_literal(node.identifier) ~ " order by column_index"
    ) -%}
    {%- set found = described.columns[0].values() -%}
    {%- set types = {} -%}
    {%- for row in described.rows -%}
        {%- do types.update({row[0]: row[1]}) -%}
    {%- endfor -%}
    {%- for column in node.columns.values() if column.name[0] != '_' -%}
        {%- if column.name | lower not in found and not column.meta.get('optional_column', false) -%}
            {%- do landing_error(entity, 'file ' ~ file ~ ', column ' ~ column.name ~ ', row header: required column is missing (columns found: ' ~ found | join(', ') ~ ')') -%}
        {%- endif -%}
        {%- if kind != 'csv' and column.name | lower in found and column.meta.get('contract_type', 'str') == 'str'
            and types[column.name | lower] != 'VARCHAR' -%}
            {%- do landing_error(entity, 'file ' ~ file ~ ', column ' ~ column.name ~ ', row header: stored as '
                ~ types[column.name | lower] ~ ' in Parquet, but the contract type is str (codes and ids stay strings: 00123 and 123 are different codes, and leading zeros may already be lost); write the column as a string') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if node.meta.get('required', false) -%}
        {%- set n = run_query('select count(*) from ' ~ staged).columns[0].values()[0] -%}
        {%- if n == 0 -%}
            {%- do landing_error(entity, 'file ' ~ file ~ ', column (all), row 1: the required entity has no rows (a header only)') -%}
        {%- endif -%}
    {%- endif -%}

    {%- set checks = [] -%}
    {%- for column in node.columns.values() if column.name | lower in found -%}
        {%- set contract = column.meta.get('contract_type', 'str') -%}
        {%- set value = 'trim(cast("' ~ column.name ~ '" as varchar))' -%}
        {%- if contract == 'int' -%}
            {%- set bad = "not regexp_full_match(" ~ value ~ ", '[+-]?[0-9]+([.]0*)?') or try_cast(" ~ value ~ " as bigint) is null" -%}
            {%- set expected = 'a whole number' -%}
            {%- if column.meta.get('contract_min') is not none -%}
                {%- set minimum = column.meta.get('contract_min') | int -%}
                {%- set bad = bad ~ ' or try_cast(' ~ value ~ ' as decimal(38, 6)) < ' ~ minimum -%}
                {%- set expected = 'a whole number of at least ' ~ minimum -%}
            {%- endif -%}
        {%- elif contract == 'num' -%}
            {%- set bad = 'try_cast(' ~ value ~ ' as decimal(20, 6)) is null' -%}
            {%- set expected = 'a number with a . as decimal point' -%}
        {%- elif contract == 'date' -%}
            {%- set bad = "not regexp_full_match(" ~ value ~ ", '[0-9]{4}-[0-9]{2}-[0-9]{2}') or try_cast(" ~ value ~ " as date) is null" -%}
            {%- set expected = 'a date YYYY-MM-DD' -%}
        {%- elif contract == 'ts' -%}
            {%- set bad = "not regexp_full_match(" ~ value ~ ", '" ~ sop_ts_pattern() ~ "') or " ~ sop_ts_expression(value, 'try_cast') ~ " is null" -%}
            {%- set expected = 'an ISO 8601 timestamp (YYYY-MM-DD hh:mm[:ss], optionally with Z or a UTC offset such as +02:00)' -%}
        {%- else -%}
            {%- set bad = none -%}
        {%- endif -%}
        {%- if bad is not none -%}
            {%- do checks.append(
                "select '" ~ column.name ~ "' as column_name, '" ~ expected ~ "' as expected, rowid + 1 as row_no, "
                ~ 'cast("' ~ column.name ~ '" as varchar) as raw_value from ' ~ staged
                ~ ' where nullif(' ~ value ~ ", '') is not null and (" ~ bad ~ ')'
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if checks | length > 0 -%}
        {%- set failures = run_query(
            'select column_name, expected, row_no, raw_value, count(*) over () as n_bad from ('
            ~ checks | join(' union all ') ~ ') order by row_no, column_name limit 1'
        ) -%}
        {%- if failures.rows | length > 0 -%}
            {%- set f = failures.rows[0] -%}
            {%- if kind == 'csv' -%}
                {%- set line = run_query('select sop_csv_line(' ~ sql_literal(file) ~ ', ' ~ f[2] ~ ')').columns[0].values()[0] -%}
                {%- set where = ' (line ' ~ line ~ ' of a CSV with its header)' -%}
            {%- else -%}
                {%- set where = '' -%}
            {%- endif -%}
            {%- do landing_error(entity,
                'file ' ~ file ~ ', column ' ~ f[0] ~ ', row ' ~ f[2] ~ where
                ~ ", value '" ~ f[3] ~ "' is not " ~ f[1]
                ~ (' (' ~ (f[4] - 1) ~ ' more unparsable values in this file)' if f[4] > 1 else '')
            ) -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- ISO 8601 timestamps the contract accepts, and their value: one with Z or a UTC offset is
    converted to UTC (the landed column is a timestamp without time zone, in UTC). -#}
{% macro sop_ts_pattern() -%}
    {{- return('[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?') -}}
{%- endmacro %}


{% macro sop_ts_expression(value, cast='cast') -%}
    {{- return(
        "case when regexp_matches(" ~ value ~ ", '[0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$') "
        ~ "then timezone('UTC', " ~ cast ~ "(" ~ value ~ " as timestamptz)) else " ~ cast ~ "(" ~ value ~ " as timestamp) end"
    ) -}}
{%- endmacro %}


{#- The typed copy of one landed (or absent) file, as `landing.<system>__<entity>`. -#}
{% macro landing_publish_sql(node, file, staged) %}
    {%- set columns = [] -%}
    {%- if file is not none -%}
        {%- set found = run_query(
            "select lower(column_name) from duckdb_columns() where schema_name = '_landing_incoming' and table_name = "
            ~ sql_literal(node.identifier)
        ).columns[0].values() -%}
    {%- else -%}
        {%- set found = [] -%}
    {%- endif -%}
    {%- for column in node.columns.values() if column.name[0] != '_' -%}
        {%- if column.name | lower in found -%}
            {%- set value = 'nullif(trim(cast("' ~ column.name ~ '" as varchar)), \'\')' -%}
            {%- if column.data_type == 'varchar' -%}
                {%- set expr = 'cast("' ~ column.name ~ '" as varchar)' -%}
            {%- elif column.meta.get('contract_type') == 'ts' -%}
                {%- set expr = 'cast(' ~ sop_ts_expression(value) ~ ' as ' ~ column.data_type ~ ')' -%}
            {%- else -%}
                {%- set expr = 'cast(' ~ value ~ ' as ' ~ column.data_type ~ ')' -%}
            {%- endif -%}
        {%- else -%}
            {%- set expr = 'cast(null as ' ~ column.data_type ~ ')' -%}
        {%- endif -%}
        {%- do columns.append(expr ~ ' as ' ~ column.name) -%}
    {%- endfor -%}
    {%- if file is not none -%}
        {%- do columns.append('cast(rowid + 1 as bigint) as _landing_row') -%}
        {%- do columns.append(sql_literal(file) ~ " as _landing_file") -%}
        {{- return('create or replace table landing."' ~ node.identifier ~ '" as select ' ~ columns | join(', ') ~ ' from ' ~ staged ~ ' order by rowid') -}}
    {%- else -%}
        {%- do columns.append('cast(null as bigint) as _landing_row') -%}
        {%- do columns.append('cast(null as varchar) as _landing_file') -%}
        {{- return('create or replace table landing."' ~ node.identifier ~ '" as select ' ~ columns | join(', ') ~ ' limit 0') -}}
    {%- endif -%}
{% endmacro %}
