{#-
    Land the extracts of the landing contract into the `landing` schema.

    Runs as the project's on-run-start hook, so every `dbt build` starts here. For every
    source declared with `schema: landing` (the contract lives in those sources' YAML:
    column `data_type`, `meta.contract_type`, `meta.optional_column`, table
    `meta.required`):

    1. find `<landing_dir>/<system>/<entity>.csv` or `.parquet`;
    2. read it with every column as text, remembering each row's position in the file;
    3. stop the build with one message naming file, column, row and value when a required
       file or column is missing or a value cannot be parsed as its contract type;
    4. only when every file passed, replace `landing.<system>__<entity>` with the typed
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
        {%- set found = run_query(
            "select file from glob('" ~ sql_quote(base) ~ ".csv') "
            ~ "union all select file from glob('" ~ sql_quote(base) ~ ".parquet') order by file"
        ) -%}
        {%- set files = found.columns[0].values() -%}
        {%- if files | length > 1 -%}
            {%- do landing_error(entity, 'both ' ~ base ~ '.csv and ' ~ base ~ '.parquet exist: keep exactly one file per entity') -%}
        {%- endif -%}
        {%- if files | length == 0 -%}
            {%- if node.meta.get('required', false) -%}
                {%- do landing_error(entity, 'required file missing: ' ~ base ~ '.csv (or .parquet) was not found in the landing folder ' ~ landing_dir) -%}
            {%- endif -%}
            {%- do landed.append({'node': node, 'file': none, 'staged': staged}) -%}
        {%- else -%}
            {%- set file = files[0] -%}
            {%- if file.endswith('.parquet') -%}
                {%- set reader = "read_parquet('" ~ sql_quote(file) ~ "')" -%}
            {%- else -%}
                {%- set reader = "read_csv('" ~ sql_quote(file) ~ "', header = true, delim = ',', quote = '\"', all_varchar = true)" -%}
            {%- endif -%}
            {%- do run_query('create table ' ~ staged ~ ' as select * from ' ~ reader) -%}
            {%- do check_landed_file(node, file, staged) -%}
            {%- do landed.append({'node': node, 'file': file, 'staged': staged}) -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set present = [] -%}
    {%- for item in landed if item.file is not none -%}
        {%- do present.append(item.node.source_name ~ '/' ~ item.node.name) -%}
    {%- endfor -%}
    {%- if 'erp/shipments' not in present and 'crm/orders' not in present -%}
        {%- do landing_error('erp/shipments, crm/orders', 'no demand history: at least one of ' ~ landing_dir ~ '/erp/shipments.csv and ' ~ landing_dir ~ '/crm/orders.csv (or .parquet) is required') -%}
    {%- endif -%}

    {#- Every file passed: publish. -#}
    {%- do run_query('create schema if not exists landing') -%}
    {%- set status_rows = [] -%}
    {%- for item in landed -%}
        {%- do run_query(landing_publish_sql(item.node, item.file, item.staged)) -%}
        {%- set count = run_query('select count(*) from landing."' ~ item.node.identifier ~ '"').columns[0].values()[0] -%}
        {%- do status_rows.append(
            "('" ~ item.node.source_name ~ "', '" ~ item.node.name ~ "', "
            ~ ("'source_absent'" if item.file is none else "'present'") ~ ", "
            ~ ("null" if item.file is none else "'" ~ sql_quote(item.file) ~ "'") ~ ", "
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


{% macro sql_quote(value) -%}
    {{- return((value | string).replace("'", "''")) -}}
{%- endmacro %}


{% macro landing_error(where, message) -%}
    {%- do run_query('drop schema if exists _landing_incoming cascade') -%}
    {{- exceptions.raise_compiler_error(
        'Landing contract violated (' ~ where ~ '): ' ~ message
        ~ '. The build stopped before anything was replaced; the previous build is unchanged.'
    ) -}}
{%- endmacro %}


{#- The check of one landed file: required columns present, every value parses as its type. -#}
{% macro check_landed_file(node, file, staged) %}
    {%- set entity = node.source_name ~ '/' ~ node.name -%}
    {%- set found = run_query(
        "select lower(column_name) from duckdb_columns() where schema_name = '_landing_incoming' and table_name = '"
        ~ node.identifier ~ "' order by column_index"
    ).columns[0].values() -%}
    {%- for column in node.columns.values() if column.name[0] != '_' -%}
        {%- if column.name | lower not in found and not column.meta.get('optional_column', false) -%}
            {%- do landing_error(entity, 'file ' ~ file ~ ', column ' ~ column.name ~ ', row header: required column is missing (columns found: ' ~ found | join(', ') ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}

    {%- set checks = [] -%}
    {%- for column in node.columns.values() if column.name | lower in found -%}
        {%- set kind = column.meta.get('contract_type', 'str') -%}
        {%- set value = 'trim(cast("' ~ column.name ~ '" as varchar))' -%}
        {%- if kind == 'int' -%}
            {%- set bad = 'try_cast(' ~ value ~ ' as bigint) is null' -%}
            {%- set expected = 'a whole number' -%}
        {%- elif kind == 'num' -%}
            {%- set bad = 'try_cast(' ~ value ~ ' as decimal(20, 6)) is null' -%}
            {%- set expected = 'a number with a . as decimal point' -%}
        {%- elif kind == 'date' -%}
            {%- set bad = "not regexp_full_match(" ~ value ~ ", '[0-9]{4}-[0-9]{2}-[0-9]{2}') or try_cast(" ~ value ~ " as date) is null" -%}
            {%- set expected = 'a date YYYY-MM-DD' -%}
        {%- elif kind == 'ts' -%}
            {%- set bad = 'try_cast(' ~ value ~ ' as timestamp) is null' -%}
            {%- set expected = 'an ISO 8601 timestamp' -%}
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
            {%- do landing_error(entity,
                'file ' ~ file ~ ', column ' ~ f[0] ~ ', row ' ~ f[2] ~ ' (line ' ~ (f[2] + 1) ~ ' of a CSV with its header)'
                ~ ", value '" ~ f[3] ~ "' is not " ~ f[1]
                ~ (' (' ~ (f[4] - 1) ~ ' more unparsable values in this file)' if f[4] > 1 else '')
            ) -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- The typed copy of one landed (or absent) file, as `landing.<system>__<entity>`. -#}
{% macro landing_publish_sql(node, file, staged) %}
    {%- set columns = [] -%}
    {%- if file is not none -%}
        {%- set found = run_query(
            "select lower(column_name) from duckdb_columns() where schema_name = '_landing_incoming' and table_name = '"
            ~ node.identifier ~ "'"
        ).columns[0].values() -%}
    {%- else -%}
        {%- set found = [] -%}
    {%- endif -%}
    {%- for column in node.columns.values() if column.name[0] != '_' -%}
        {%- if column.name | lower in found -%}
            {%- set value = 'nullif(trim(cast("' ~ column.name ~ '" as varchar)), \'\')' -%}
            {%- if column.data_type == 'varchar' -%}
                {%- set expr = 'cast("' ~ column.name ~ '" as varchar)' -%}
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
        {%- do columns.append("'" ~ sql_quote(file) ~ "' as _landing_file") -%}
        {{- return('create or replace table landing."' ~ node.identifier ~ '" as select ' ~ columns | join(', ') ~ ' from ' ~ staged ~ ' order by rowid') -}}
    {%- else -%}
        {%- do columns.append('cast(null as bigint) as _landing_row') -%}
        {%- do columns.append('cast(null as varchar) as _landing_file') -%}
        {{- return('create or replace table landing."' ~ node.identifier ~ '" as select ' ~ columns | join(', ') ~ ' limit 0') -}}
    {%- endif -%}
{% endmacro %}
