{#- Primary key over several columns: no combination of `columns` appears twice, and none
    of them is null. Fails with one row per offending combination. -#}
{% test unique_combination(model, columns) %}

select
    {{ columns | join(', ') }},
    count(*) as n_rows

from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1 or {{ columns | join(' is null or ') }} is null

{% endtest %}
