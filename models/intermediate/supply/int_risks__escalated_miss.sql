{#- The risk register's escalated_miss risks (RSK-<escalation_id>): one row per closed-loop
    miss escalated to the leadership review (rpt_miss_escalations), sized by its units at
    stake (no money), owned by the escalation's owner and described by its latest cause.
    fct_risk_register unions it with the other risk types. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

escalations as (

    select * from {{ ref('rpt_miss_escalations') }}

),

final as (

    select
        cycle.cycle,
        'RSK-' || escalations.escalation_id as risk_id,
        'escalated_miss' as risk_type,
        escalations.master_sku as subject,
        escalations.last_period_id as first_period_id,
        escalations.units_at_stake as size_units,
        cast(null as double) as size_money,
        escalations.owner_role,
        'open' as status,
        escalations.latest_cause as description,
        escalations.master_sku as affected_skus

    from escalations
    cross join cycle
    where escalations.is_escalated_to_leadership

)

select * from final
