-- How much of the gap between the systems each cause accounts for, per comparison:
-- `dbt compile --select variances_by_cause` and run the SQL in target/ in any client.
with

variances as (

    select * from {{ ref('fct_reconciliation_variances') }}

)

select
    comparison,
    cause,
    count(*) as n_variances,
    sum(abs(difference_units)) as abs_units,
    sum(abs(difference_value)) as abs_value

from variances
group by comparison, cause
order by comparison asc, abs_value desc
