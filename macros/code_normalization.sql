{#- The planner-editable normalization rules (seed code_normalization_rules), in order, as
    a list of [rule, pattern, replacement]. Read when the model runs; a model using them
    names the seed with a `-- depends_on:` comment so dbt builds it first. -#}
{% macro code_normalization_rules() -%}
    {%- if not execute -%}
        {{- return([['case', none, none]]) -}}
    {%- endif -%}
    {%- set table = run_query('select rule, pattern, replacement from ' ~ ref('code_normalization_rules') ~ ' order by rule_order') -%}
    {%- set rules = [] -%}
    {%- for row in table.rows -%}
        {%- do rules.append([row[0], row[1], row[2]]) -%}
    {%- endfor -%}
    {#- no rule (a seed emptied, or `dbt build --empty`, where refs read no row): upper case and trim only -#}
    {{- return(rules if rules else [['case', none, none]]) -}}
{%- endmacro %}


{#- A code after the first `upto` normalization rules (1 = upper-cased and trimmed only).
    `{master_prefix}` in a pattern stands for the SQL expression `prefix_sql`, the prefix
    the master codes share. -#}
{% macro normalized_code(expression, rules, upto, prefix_sql="''") -%}
    {%- set sql = namespace(text='upper(trim(' ~ expression ~ '))') -%}
    {%- for rule in rules[:upto] -%}
        {%- if rule[1] is not none and rule[1] != '' -%}
            {%- set pattern = "'" ~ rule[1] | replace("'", "''") ~ "'" -%}
            {%- set pattern = pattern | replace('{master_prefix}', "' || " ~ prefix_sql ~ " || '") -%}
            {%- set sql.text = 'regexp_replace(' ~ sql.text ~ ', ' ~ pattern ~ ", '" ~ (rule[2] or '') ~ "', 'g')" -%}
        {%- endif -%}
    {%- endfor -%}
    {{- sql.text -}}
{%- endmacro %}


{#- The fully normalized code, without the master-prefix rule: the key master codes must
    be unique on. -#}
{% macro master_key(expression, rules) -%}
    {%- set upto = namespace(n=rules | length) -%}
    {%- for rule in rules -%}
        {%- if rule[1] is not none and '{master_prefix}' in rule[1] and upto.n == rules | length -%}
            {%- set upto.n = loop.index0 -%}
        {%- endif -%}
    {%- endfor -%}
    {{- normalized_code(expression, rules, upto.n) -}}
{%- endmacro %}


{#- Rules every row carrying a CRM or ERP code gets: the code matches two masters
    (`ambiguous_code`), or none (`unmapped_code`). `known_only`: only codes the dictionary
    lists (an ERP code missing from erp/items stays `unknown_item`). -#}
{% macro code_rules(codes, known_only=false) -%}
    {%- set known = codes ~ '.source_code is not null and ' if known_only else '' -%}
    {{- return([
        [codes ~ ".mapping_method = 'ambiguous'", 'ambiguous_code'],
        [known ~ codes ~ '.master_sku is null', 'unmapped_code'],
    ]) -}}
{%- endmacro %}
