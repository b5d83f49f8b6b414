with

decisions as (

    select * from {{ ref('stg_plan__leadership_decisions') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['decision_id']) + [
            ["status not in ('open', 'done', 'dropped')", 'unknown_status'],
            ["not regexp_full_match(cycle, '[0-9]{4}-[0-9]{2}')", 'invalid_cycle'],
        ]) }} as quarantine_rule

    from decisions

)

select * from checked
