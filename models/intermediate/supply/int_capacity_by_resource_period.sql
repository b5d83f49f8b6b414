{#- Available hours per resource and planning period: erp/capacity gives hours per calendar
    month; they are spread evenly over the month's days and summed into planning periods.
    A period not covered on every day is `partial`. -#}
with

capacity as (

    select * from {{ ref('int_resource_capacities_checked') }}
    where quarantine_rule is null

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

capacity_days as (

    select
        capacity.resource_id,
        calendar_days.period_id,
        calendar_days.calendar_date,
        capacity.available_hours
        / (date_diff('day', capacity.period_start, last_day(capacity.period_start)) + 1) as hours

    from capacity
    inner join calendar_days
        on calendar_days.calendar_date between capacity.period_start and last_day(capacity.period_start)

),

final as (

    select
        capacity_days.resource_id,
        capacity_days.period_id,
        cast(sum(capacity_days.hours) as double) as available_hours,
        count(distinct capacity_days.calendar_date) = any_value(periods.n_days) as is_fully_covered

    from capacity_days
    inner join periods on capacity_days.period_id = periods.period_id
    group by capacity_days.resource_id, capacity_days.period_id

)

select * from final
