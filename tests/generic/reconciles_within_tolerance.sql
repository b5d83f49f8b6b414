{#- The variance check as a dbt test: every row of a comparison model whose difference is
    beyond the comparison's tolerance (seed reconciliation_tolerances). Configure with
    severity warn and store_failures so `dbt build` prints the count and the rows are a
    table a planner can open. -#}
{% test reconciles_within_tolerance(model, comparison) %}

with

compared as (

    select * from {{ model }}

),

tolerances as (

    select * from {{ ref('reconciliation_tolerances') }}
    where comparison = '{{ comparison }}'

)

select compared.*
from compared
cross join tolerances
where {{ beyond_tolerance('compared', 'tolerances') }}

{% endtest %}
