{#- The three numbers as one comparison per family and planning period: the lowest and the
    highest of the numbers that fully cover the period (at least two of them). -#}
with

side_by_side as (

    select * from {{ ref('int_three_numbers_by_family_period') }}

),

covered as (

    select
        master_family,
        period_id,
        'sales' as number_source,
        sales_units as units
    from side_by_side
    where sales_status = 'covered'

    union all

    select
        master_family,
        period_id,
        'operations',
        operations_units
    from side_by_side
    where operations_status = 'covered'

    union all

    select
        master_family,
        period_id,
        'finance',
        finance_units
    from side_by_side
    where finance_status = 'covered'

),

family_prices as (

    select * from {{ ref('int_family_prices') }}

),

ranked as (

    select
        master_family,
        period_id,
        list_sort(list(struct_pack(units := units, number_source := number_source))) as ordered

    from covered
    group by master_family, period_id
    having count(*) >= 2

),

compared as (

    select
        'three_numbers' as comparison,
        'family' as subject_type,
        ranked.master_family as subject,
        ranked.period_id,
        'units' as measure,
        ordered[1].number_source as left_system,
        ordered[1].units as left_value,
        ordered[-1].number_source as right_system,
        ordered[-1].units as right_value,
        ordered[-1].units - ordered[1].units as difference,
        family_prices.family_price as unit_price

    from ranked
    left join family_prices on ranked.master_family = family_prices.master_family

)

select * from compared
