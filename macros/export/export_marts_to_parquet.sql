{#- After `dbt run` or `dbt build`: every table in the marts schema written to
    <parquet_dir>/<mart>.parquet (var parquet_dir, env SOP_PARQUET_DIR, default
    build/parquet), so a BI tool reads the marts while the next build holds the DuckDB file
    (DuckDB locks it for writing). Rows are written in a fixed order, so the same marts give
    the same files. A run that selected only some models refreshes what exists. The folder
    is created when missing (its parent must exist); `_marts_0.parquet` lists the marts. -#}
{% macro export_marts_to_parquet() %}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- set directory = var('parquet_dir', env_var('SOP_PARQUET_DIR', 'build/parquet')) -%}
        {%- set tables = run_query(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            ~ "and table_catalog = current_database() order by table_name"
        ) -%}
        {%- if tables | length > 0 -%}
            {#- the first copy creates the folder (its parent must exist) and lists the marts -#}
            {%- set statements = [
                "copy (select table_name as mart from information_schema.tables where table_schema = 'marts' "
                ~ "and table_catalog = current_database() order by table_name) to '" ~ directory
                ~ "' (format parquet, per_thread_output true, overwrite_or_ignore true, filename_pattern '_marts_{i}')"
            ] -%}
            {%- for row in tables.rows -%}
                {%- do statements.append(
                    "copy (select * from marts." ~ row[0] ~ " order by all) to '" ~ directory ~ "/" ~ row[0]
                    ~ ".parquet' (format parquet)"
                ) -%}
            {%- endfor -%}
            {%- do log("Exporting " ~ (tables | length) ~ " marts to " ~ directory, info=true) -%}
            {{ return(statements | join(";\n")) }}
        {%- endif -%}
    {%- endif -%}
    {{ return("select 1") }}
{% endmacro %}
