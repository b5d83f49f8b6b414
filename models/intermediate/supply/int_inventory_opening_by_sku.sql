{#- Opening stock for the plan: per master SKU, the on-hand of its latest inventory snapshot
    before the cycle's as-of date, in eaches, summed over warehouses. SKUs without a snapshot
    open at zero (`snapshot_date` null says so). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

inventory as (

    select * from {{ ref('int_inventory_snapshots_checked') }}
    where quarantine_rule is null

),

latest as (

    select
        inventory.master_sku,
        max(inventory.snapshot_date) as snapshot_date

    from inventory
    cross join cycle
    where inventory.snapshot_date < cycle.as_of_date
    group by inventory.master_sku

),

final as (

    select
        latest.master_sku,
        latest.snapshot_date,
        cast(sum(inventory.on_hand_eaches) as double) as on_hand_units

    from latest
    inner join inventory
        on latest.master_sku = inventory.master_sku
            and latest.snapshot_date = inventory.snapshot_date
    group by latest.master_sku, latest.snapshot_date

)

select * from final
