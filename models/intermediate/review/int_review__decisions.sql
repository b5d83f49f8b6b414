{#- The review page's decisions section: the overdue leadership decisions and how many days
    they are overdue (fct_leadership_decisions). -#}
with

leadership as (

    select * from {{ ref('fct_leadership_decisions') }}

),

decision_rows as (

    select
        'decisions' as section,
        leadership.decision_id as subject,
        leadership.decision as metric,
        cast(leadership.days_overdue as double) as value,
        'days overdue' as unit,
        leadership.owner || ', due ' || leadership.due_date || ': ' || leadership.topic as detail

    from leadership
    where leadership.is_overdue

)

select * from decision_rows
