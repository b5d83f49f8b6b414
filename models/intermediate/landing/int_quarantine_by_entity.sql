{#- One row per landed entity whose file is present (plan entities aside, as they answer
    this build's own proposals): its rows landed, used and quarantined, the rule that
    quarantined the most rows and how many, and the share of rows it may lose (seed
    quarantine_thresholds, the most specific row). int_build_gate stops the build on it. -#}
with

{%- set entities = [] %}
{%- for entity in checked_entities() %}
    {%- if entity[1] != 'plan' %}{% do entities.append(entity) %}{% endif %}
{%- endfor %}

files as (

    select * from {{ ref('stg_landing__files') }}

),

thresholds as (

    select * from {{ ref('quarantine_thresholds') }}

),

{% for model, system, entity in entities %}
    {{ system }}_{{ entity }} as (

        select * from {{ ref(model) }}

    ),

{% endfor %}

by_rule as (

    {% for model, system, entity in entities %}
        select
            '{{ system }}' as source_system,
            '{{ entity }}' as entity,
            quarantine_rule,
            count(*) as n_rows

        from {{ system }}_{{ entity }}
        group by quarantine_rule
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

per_entity as (

    select
        source_system,
        entity,
        cast(sum(n_rows) as bigint) as rows_landed,
        cast(sum(case when quarantine_rule is null then n_rows else 0 end) as bigint) as rows_used,
        cast(sum(case when quarantine_rule is not null then n_rows else 0 end) as bigint) as rows_quarantined,
        arg_max(quarantine_rule, case when quarantine_rule is not null then n_rows end) as top_rule,
        max(case when quarantine_rule is not null then n_rows end) as top_rule_rows

    from by_rule
    group by source_system, entity

),

with_threshold as (

    select
        per_entity.*,
        (
            select thresholds.max_quarantined_share
            from thresholds
            where
                thresholds.source_system in (per_entity.source_system, '*')
                and thresholds.entity in (per_entity.entity, '*')
            order by (thresholds.source_system = '*'), (thresholds.entity = '*')
            limit 1
        ) as max_quarantined_share

    from per_entity
    inner join files
        on per_entity.source_system = files.source_system
            and per_entity.entity = files.entity
    where files.status = 'present'

)

select * from with_threshold
