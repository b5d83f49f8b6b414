{#- The provenance of an archived row: the dbt invocation that wrote it and when that run
    started (dbt's run_started_at, UTC), the same for every row one build appends. An archive keeps a row for
    ever, so a number in it can be traced to the build (and its logs, run_results.json and
    published folder) that made it. They are the only columns of a mart that differ between
    two builds of the same landing data and cycle; the determinism check leaves them out
    (tests/python/test_reconciliation.py). -#}
{% macro provenance_columns() -%}
    '{{ invocation_id }}' as invocation_id,
    cast('{{ run_started_at }}' as timestamp) as built_at
{%- endmacro %}
