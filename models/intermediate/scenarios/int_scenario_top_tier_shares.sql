{#- Per master SKU, the share of its last-year orders placed by the top-priority customers
    (the tier served first, int_customer_priority_shares; 0 when none). Options that do not
    look at priority cut every customer pro rata by it. -#}
with

tiers as (

    select * from {{ ref('int_customer_priority_shares') }}

),

final as (

    select
        master_sku,
        coalesce(sum(tier_share) filter (where is_top_tier), 0) as top_share

    from tiers
    group by master_sku

)

select * from final
