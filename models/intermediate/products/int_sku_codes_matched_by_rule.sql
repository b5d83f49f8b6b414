{#- The CRM and ERP codes the normalization rules match to a master, one row per system and
    code: the rules of the seed code_normalization_rules are applied in order to the code
    (int_sku_codes_in_use) and to every master (int_master_skus) alike; the first rule after
    which the code equals one or more masters is the match (`mapping_rule`), with how many
    masters it equals (`n_masters`: two or more is ambiguous) and the first of them. Codes
    no rule matches have no row. int_skus_mapped_to_master uses it where the crosswalk
    does not list a code. -#}
-- depends_on: {{ ref('code_normalization_rules') }}
{%- set rules = code_normalization_rules() %}
with

sku_codes as (

    select * from {{ ref('int_sku_codes_in_use') }}

),

masters as (

    select * from {{ ref('int_master_skus') }}

),

prefix as (

    select coalesce(max(master_prefix), '') as master_prefix
    from masters

),

code_keys as (

    {% for rule in rules %}
        select
            sku_codes.source_system,
            sku_codes.source_code,
            {{ loop.index }} as rule_order,
            '{{ rule[0] }}' as mapping_rule,
            {{ normalized_code('sku_codes.source_code', rules, loop.index, 'prefix.master_prefix') }} as code_key

        from sku_codes
        cross join prefix
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

master_keys as (

    {% for rule in rules %}
        select
            masters.master_sku,
            {{ loop.index }} as rule_order,
            {{ normalized_code('masters.master_sku', rules, loop.index, 'prefix.master_prefix') }} as master_key

        from masters
        cross join prefix
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

candidates as (

    select
        code_keys.source_system,
        code_keys.source_code,
        code_keys.rule_order,
        code_keys.mapping_rule,
        master_keys.master_sku

    from code_keys
    inner join master_keys
        on code_keys.rule_order = master_keys.rule_order
            and code_keys.code_key = master_keys.master_key
    where code_keys.code_key != ''

),

first_match as (

    select
        source_system,
        source_code,
        min(mapping_rule) as mapping_rule,
        count(distinct master_sku) as n_masters,
        min(master_sku) as master_sku

    from candidates
    group by source_system, source_code, rule_order
    qualify rank() over (partition by source_system, source_code order by rule_order) = 1

)

select * from first_match
