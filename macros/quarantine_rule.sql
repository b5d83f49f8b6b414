{#- The first row-level rule a landed row breaks, or null when it breaks none.
    `rules` is a list of [condition, rule_name] pairs, checked in order. -#}
{% macro quarantine_rule(rules) -%}
    case
        {%- for rule in rules %}
            when {{ rule[0] }} then '{{ rule[1] }}'
        {%- endfor %}
    end
{%- endmacro %}


{#- The two rules every keyed entity has: a key column is null, or the key was seen on an
    earlier row of the file (the first occurrence is used, later ones are quarantined). -#}
{% macro key_rules(key_columns) -%}
    {%- set prefix = key_columns[0].split('.')[0] ~ '.' if '.' in key_columns[0] else '' -%}
    {{- return([
        [key_columns | join(' is null or ') ~ ' is null', 'missing_key'],
        ['row_number() over (partition by ' ~ key_columns | join(', ') ~ ' order by ' ~ prefix ~ '_landing_row) > 1', 'duplicate_key'],
    ]) -}}
{%- endmacro %}
