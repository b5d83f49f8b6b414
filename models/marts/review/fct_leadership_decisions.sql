{#- The leadership review's decision log (plan/leadership_decisions, used rows): every
    decision with its owner, due date and status, how old it is at this cycle's as-of date
    (days since the first day of the cycle it was taken in), and whether it is overdue
    (still open after its due date). When the file was not landed the mart is empty and
    landing.landing_files says `source_absent`. -#}
with

decisions as (

    select * from {{ ref('int_leadership_decisions_checked') }}
    where quarantine_rule is null

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

risks as (

    select * from {{ ref('rpt_risk_register') }}

),

final as (

    select
        decisions.decision_id,
        decisions.cycle as decided_in_cycle,
        decisions.topic,
        decisions.decision,
        decisions.owner,
        decisions.due_date,
        decisions.status,
        cast(date_diff('day', periods.period_start, cycle.as_of_date) as bigint) as age_days,
        decisions.status = 'open' and decisions.due_date < cycle.as_of_date as is_overdue,
        case
            when decisions.status = 'open' and decisions.due_date < cycle.as_of_date
                then cast(date_diff('day', decisions.due_date, cycle.as_of_date) as bigint)
            else 0
        end as days_overdue,
        cycle.cycle as as_of_cycle,
        decisions.option_id,
        coalesce(
            nullif(split_part(decisions.option_id, ':', 1), ''), nullif(regexp_extract(decisions.topic, '^(RSK-[^:]+)', 1), '')
        ) as risk_id,
        risks.status as risk_status

    from decisions
    cross join cycle
    left join periods on decisions.cycle = periods.period_id
    left join risks
        on coalesce(
                nullif(split_part(decisions.option_id, ':', 1), ''), nullif(regexp_extract(decisions.topic, '^(RSK-[^:]+)', 1), '')
            ) = risks.risk_id

)

select * from final
