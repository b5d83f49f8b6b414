{#- The review page's risks section: the five largest open risks by money
    (rpt_risk_register). -#}
with

risks as (

    select * from {{ ref('rpt_risk_register') }}

),

risk_rows as (

    select
        'risks' as section,
        risks.risk_id as subject,
        risks.risk_type as metric,
        risks.size_money as value,
        'money' as unit,
        risks.owner_role || ': ' || risks.description as detail

    from risks
    where risks.status = 'open'
    qualify row_number() over (order by risks.size_money desc nulls last, risks.risk_id asc) <= 5

)

select * from risk_rows
