{#- The demand history of every master SKU as the workbench charts it: per closed planning
    period from the SKU's first demand, the unconstrained demand forecasting reads
    (int_demand_history_by_sku_period) and the units shipped. Shipped is 0 in a period
    without shipments, and null throughout when no shipments were landed at all. -#}
with

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

shipments as (

    select * from {{ ref('int_shipments_by_sku_period') }}

),

landed as (

    select count(*) > 0 as has_shipments
    from shipments

),

final as (

    select
        history.master_sku,
        history.master_family,
        history.period_id,
        history.period_start,
        cast(history.demand_units as double) as demand_units,
        cast(history.promo_units as double) as promo_units,
        case
            when landed.has_shipments then cast(coalesce(shipments.shipped_units, 0) as double)
        end as shipped_units,
        history.demand_source

    from history
    cross join landed
    left join shipments
        on history.master_sku = shipments.master_sku
            and history.period_id = shipments.period_id

)

select * from final
