{#- Per family: how its SKUs' demand behaves (count of SKUs per demand class), how seasonal
    it is and how much of it is sold on promotion.
    seasonal_strength: the coefficient of variation of the family's 12 seasonal indices
    (mean daily demand in each fiscal period of the year / overall mean; daily, so the
    4-4-5 period lengths are not mistaken for seasonality); 0 for
    flat demand, about 0.3 for a +/-40% yearly wave. promo_share: promoted units / units. -#}
with

classes as (

    select * from {{ ref('int_skus_classified') }}

),

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

family_periods as (

    select
        history.master_family,
        periods.fiscal_period,
        sum(history.demand_units) as demand_units,
        sum(history.promo_units) as promo_units,
        sum(history.demand_units) / min(periods.n_days) as daily_units

    from history
    inner join periods on history.period_id = periods.period_id
    group by history.master_family, history.period_id, periods.fiscal_period

),

seasonal_indices as (

    select
        master_family,
        fiscal_period,
        avg(daily_units) / nullif(avg(avg(daily_units)) over (partition by master_family), 0) as seasonal_index

    from family_periods
    group by master_family, fiscal_period

),

seasonality as (

    select
        master_family,
        stddev_pop(seasonal_index) as seasonal_strength,
        count(*) as n_seasonal_indices

    from seasonal_indices
    group by master_family

),

mix as (

    select
        master_family,
        count(*) as n_skus,
        count(*) filter (where demand_class = 'smooth') as n_smooth,
        count(*) filter (where demand_class = 'erratic') as n_erratic,
        count(*) filter (where demand_class = 'intermittent') as n_intermittent,
        count(*) filter (where demand_class = 'lumpy') as n_lumpy,
        count(*) filter (where demand_class = 'new') as n_new,
        count(*) filter (where demand_class = 'inactive') as n_inactive,
        count(*) filter (where demand_class = 'eol') as n_eol,
        sum(total_units) as total_units

    from classes
    group by master_family

),

promo as (

    select
        master_family,
        sum(promo_units) / nullif(sum(demand_units), 0) as promo_share

    from family_periods
    group by master_family

),

profiles as (

    select
        mix.master_family,
        mix.n_skus,
        mix.n_smooth,
        mix.n_erratic,
        mix.n_intermittent,
        mix.n_lumpy,
        mix.n_new,
        mix.n_inactive,
        mix.n_eol,
        mix.total_units,
        cast(round(case when seasonality.n_seasonal_indices = 12 then seasonality.seasonal_strength end, 4) as double)
            as seasonal_strength,
        cast(round(coalesce(promo.promo_share, 0), 4) as double) as promo_share

    from mix
    left join seasonality on mix.master_family = seasonality.master_family
    left join promo on mix.master_family = promo.master_family

)

select * from profiles
