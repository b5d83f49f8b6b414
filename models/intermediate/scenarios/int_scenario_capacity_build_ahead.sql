{#- What building ahead can do for each overloaded period (int_scenario_capacity_overloads):
    the overload's hours made in earlier horizon periods with spare hours on the resource,
    nearest first, only in periods after the resource's previous overloaded period (so no
    spare hour is used twice). Per risk and period: the overload's hours, the hours built
    ahead and the hour-periods they are held as stock. -#}
with

overloads as (

    select * from {{ ref('int_scenario_capacity_overloads') }}

),

load as (

    select * from {{ ref('fct_capacity_load') }}

),

previous_overload as (

    select
        overloads.risk_id,
        overloads.period_id,
        coalesce(max(earlier.horizon_step), 0) as previous_overload_step

    from overloads
    left join overloads as earlier
        on overloads.risk_id = earlier.risk_id
            and overloads.horizon_step > earlier.horizon_step
    group by overloads.risk_id, overloads.period_id

),

spare as (

    select
        overloads.risk_id,
        overloads.period_id,
        overloads.overload_hours,
        earlier.horizon_step as spare_step,
        overloads.horizon_step - earlier.horizon_step as periods_held,
        earlier.available_hours - earlier.required_hours as spare_hours,
        coalesce(sum(earlier.available_hours - earlier.required_hours) over (
            partition by overloads.risk_id, overloads.period_id order by earlier.horizon_step desc
            rows between unbounded preceding and 1 preceding
        ), 0) as nearer_spare_hours

    from overloads
    inner join previous_overload
        on overloads.risk_id = previous_overload.risk_id
            and overloads.period_id = previous_overload.period_id
    inner join load as earlier
        on overloads.resource_id = earlier.resource_id
            and overloads.horizon_step > earlier.horizon_step
            and previous_overload.previous_overload_step < earlier.horizon_step
            and earlier.available_hours > earlier.required_hours

),

built_ahead as (

    select
        risk_id,
        period_id,
        any_value(overload_hours) as overload_hours,
        sum(greatest(least(spare_hours, overload_hours - nearer_spare_hours), 0)) as built_hours,
        sum(greatest(least(spare_hours, overload_hours - nearer_spare_hours), 0) * periods_held) as built_hour_periods

    from spare
    group by risk_id, period_id

)

select * from built_ahead
