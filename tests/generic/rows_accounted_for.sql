{#- Nothing is silently dropped: for one landed entity, the rows landed equal the rows the
    model uses plus the rows in quarantine. `model` is the checked model of the entity
    (one row per landed row, `quarantine_rule` null when used). Fails with one row showing
    the three counts when they do not add up. -#}
{% test rows_accounted_for(model, source_system, entity) %}

with

landed as (

    select count(*) as rows_landed
    from {{ source(source_system, entity) }}

),

used as (

    select count(*) as rows_used
    from {{ model }}
    where quarantine_rule is null

),

quarantined as (

    select count(*) as rows_quarantined
    from {{ ref('fct_landing_quarantine') }}
    where source_system = '{{ source_system }}' and entity = '{{ entity }}'

)

select
    landed.rows_landed,
    used.rows_used,
    quarantined.rows_quarantined

from landed
cross join used
cross join quarantined
where landed.rows_landed != used.rows_used + quarantined.rows_quarantined

{% endtest %}
