{#- The risk register as the leadership review reads it: every risk ever raised, by its
    stable risk_id, with the cycle it first appeared, the last cycle it was seen, how many
    cycles it has been open and its status: `open` when it is in this cycle's register,
    `closed` otherwise (closed_in_cycle = the cycle after it was last seen). The details are
    this cycle's (or, for a closed risk, the last cycle's). A risk is material when its
    money reaches its type's threshold (seeds/materiality_thresholds.csv). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

history as (

    select * from {{ ref('fct_risk_register_history') }}

),

thresholds as (

    select * from {{ ref('materiality_thresholds') }}

),

spans as (

    select
        risk_id,
        min(cycle) as first_cycle,
        max(cycle) as last_cycle,
        count(distinct cycle) as n_cycles

    from history
    group by risk_id

),

latest as (

    select history.*
    from history
    inner join spans
        on history.risk_id = spans.risk_id
            and history.cycle = spans.last_cycle

),

final as (

    select
        latest.risk_id,
        latest.risk_type,
        latest.subject,
        latest.first_period_id,
        latest.size_units,
        latest.size_money,
        latest.owner_role,
        case when spans.last_cycle = cycle.cycle then 'open' else 'closed' end as status,
        spans.first_cycle,
        spans.last_cycle,
        spans.n_cycles as n_cycles_seen,
        case when spans.last_cycle != cycle.cycle then next_periods.period_id end as closed_in_cycle,
        latest.description,
        latest.affected_skus,
        thresholds.threshold_money as materiality_threshold,
        coalesce(latest.size_money, 0) >= coalesce(thresholds.threshold_money, 0) as is_material

    from latest
    cross join cycle
    inner join spans on latest.risk_id = spans.risk_id
    left join periods as last_periods on spans.last_cycle = last_periods.period_id
    left join periods as next_periods on last_periods.period_seq + 1 = next_periods.period_seq
    left join thresholds on latest.risk_type = thresholds.risk_type

)

select * from final
