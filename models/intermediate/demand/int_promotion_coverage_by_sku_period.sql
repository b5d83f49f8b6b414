{#- The promotion calendar as the forecast's regressor: per master SKU and planning period
    (closed and future alike), the share of the period's days covered by at least one
    promotion of that SKU in crm/promotions (overlapping promotions count a day once).
    Rows exist only for SKU-periods with a promotion day; every other period is 0.
    Promotions are planned ahead, so future periods are known here: the forecast lifts the
    periods a planned promotion covers, and nothing else. `promotion_ids` lists them. -#}
with

promotions as (

    select * from {{ ref('int_promotions_checked') }}
    where quarantine_rule is null

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

promotion_days as (

    select
        promotions.master_sku,
        calendar_days.period_id,
        calendar_days.calendar_date,
        promotions.promo_id

    from promotions
    inner join calendar_days
        on calendar_days.calendar_date between promotions.start_date and promotions.end_date

),

per_period as (

    select
        promotion_days.master_sku,
        promotion_days.period_id,
        count(distinct promotion_days.calendar_date) as promo_days,
        string_agg(distinct promotion_days.promo_id, '|' order by promotion_days.promo_id) as promotion_ids

    from promotion_days
    group by promotion_days.master_sku, promotion_days.period_id

),

final as (

    select
        per_period.master_sku,
        per_period.period_id,
        periods.period_seq,
        periods.period_start,
        per_period.promo_days,
        periods.n_days as period_days,
        cast(per_period.promo_days as double) / periods.n_days as promo_coverage,
        per_period.promotion_ids

    from per_period
    inner join periods on per_period.period_id = periods.period_id

)

select * from final
