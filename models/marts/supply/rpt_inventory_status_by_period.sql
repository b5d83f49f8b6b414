{#- The projected inventory picture per horizon period: how many SKUs are short, need new
    supply, sit below safety stock, are in excess or fine, with their closing value and
    planned demand (the pack's inventory chart). -#}
with

inventory as (

    select * from {{ ref('fct_projected_inventory') }}

),

final as (

    select
        cycle,
        period_id,
        inventory_status,
        count(*) as n_skus,
        sum(closing_units) as closing_units,
        sum(closing_value) as closing_value,
        sum(demand_units) as demand_units

    from inventory
    group by cycle, period_id, inventory_status

)

select * from final
