{#- Every landed row that broke a row-level rule, with the rule, where it came from and the
    row itself as JSON. Nothing is dropped silently: these rows are the difference between
    rows landed and rows used. -#}
with

quarantined as (

    {% for entity in checked_entities() %}
        select
            '{{ entity[1] }}' as source_system,
            '{{ entity[2] }}' as entity,
            checked._landing_row as landing_row,
            checked._landing_file as landing_file,
            checked.quarantine_rule,
            cast(to_json(checked) as varchar) as row_content

        from {{ ref(entity[0]) }} as checked
        where checked.quarantine_rule is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from quarantined
