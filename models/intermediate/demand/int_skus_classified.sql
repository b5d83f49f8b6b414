{#- Demand class per master SKU over its history (int_demand_history_by_sku_period), by
    Syntetos-Boylan: ADI = periods in the history / periods with demand, CV2 = (population
    standard deviation / mean)^2 of the non-zero demand sizes; cut-offs are vars
    (adi_cutoff 1.32, cv2_cutoff 0.49). Lifecycle classes come first:
      eol        every ERP item of the SKU has status eol
      inactive   no demand in the last `inactive_periods` closed periods (default 6)
      new        fewer than `min_history_periods` periods since the first demand (default 12)
    then smooth (ADI < 1.32, CV2 < 0.49), erratic (ADI < 1.32, CV2 >= 0.49),
    intermittent (ADI >= 1.32, CV2 < 0.49) and lumpy (ADI >= 1.32, CV2 >= 0.49). -#}
with

history as (

    select * from {{ ref('int_demand_history_by_sku_period') }}

),

items as (

    select * from {{ ref('int_items_checked') }}
    where quarantine_rule is null

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'erp'

),

lifecycle as (

    select
        codes.master_sku,
        bool_and(items.status = 'eol') as is_eol

    from codes
    inner join items on codes.source_code = items.erp_item
    group by codes.master_sku

),

last_period as (

    select max(period_seq) as last_period_seq
    from history

),

stats as (

    select
        history.master_sku,
        min(history.master_family) as master_family,
        count(*) as n_periods,
        count(*) filter (where history.demand_units > 0) as n_demand_periods,
        sum(history.demand_units) as total_units,
        avg(history.demand_units) filter (where history.demand_units > 0) as mean_size,
        stddev_pop(history.demand_units) filter (where history.demand_units > 0) as std_size,
        max(history.period_seq) filter (where history.demand_units > 0) as last_demand_period_seq

    from history
    group by history.master_sku

),

measured as (

    select
        stats.*,
        last_period.last_period_seq,
        cast(stats.n_periods as double) / nullif(stats.n_demand_periods, 0) as adi,
        power(stats.std_size / nullif(stats.mean_size, 0), 2) as cv2,
        coalesce(lifecycle.is_eol, false) as is_eol

    from stats
    cross join last_period
    left join lifecycle on stats.master_sku = lifecycle.master_sku

),

classified as (

    select
        master_sku,
        master_family,
        n_periods,
        n_demand_periods,
        total_units,
        round(adi, 4) as adi,
        round(cv2, 4) as cv2,
        case
            when is_eol then 'eol'
            when n_demand_periods = 0
                or last_period_seq - last_demand_period_seq >= {{ var('inactive_periods') }}
                then 'inactive'
            when n_periods < {{ var('min_history_periods') }} then 'new'
            when adi < {{ var('adi_cutoff') }} and coalesce(cv2, 0) < {{ var('cv2_cutoff') }} then 'smooth'
            when adi < {{ var('adi_cutoff') }} then 'erratic'
            when coalesce(cv2, 0) < {{ var('cv2_cutoff') }} then 'intermittent'
            else 'lumpy'
        end as demand_class

    from measured

)

select * from classified
