{#- The capacity_overload risks of the register (fct_risk_register) by overloaded period:
    per risk and period of its resource's overload (fct_capacity_load), the horizon step and
    the hours over what is available. The capacity options are built on them. -#}
with

risks as (

    select * from {{ ref('fct_risk_register') }}

),

load as (

    select * from {{ ref('fct_capacity_load') }}

),

overloads as (

    select
        risks.risk_id,
        load.resource_id,
        load.period_id,
        load.horizon_step,
        load.overload_hours

    from risks
    inner join load
        on risks.subject = load.resource_id
            and load.is_overloaded
    where risks.risk_type = 'capacity_overload'

)

select * from overloads
