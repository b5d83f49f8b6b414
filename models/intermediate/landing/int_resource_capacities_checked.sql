with

capacities as (

    select * from {{ ref('stg_erp__resource_capacities') }}

),

resources as (

    select * from {{ ref('int_resources_checked') }}
    where quarantine_rule is null

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

checked as (

    select
        capacities.*,
        {{ quarantine_rule(key_rules(['capacities.resource_id', 'capacities.period_start']) + [
            ['capacities.available_hours is null', 'missing_value'],
            ['resources.resource_id is null and exists (select 1 from resources)', 'unknown_resource'],
            ['capacities.available_hours < 0', 'negative_value'],
            ['day(capacities.period_start) != 1', 'period_not_month_start'],
            ['capacities.period_start > landing_as_of.horizon_end_date', 'beyond_horizon'],
        ]) }} as quarantine_rule

    from capacities
    cross join landing_as_of
    left join resources on capacities.resource_id = resources.resource_id

)

select * from checked
