{#- Is a family's miss beyond its own noise? Per published cycle, lag, master family and
    closed period: the statistic, the band it must cross to count as a real miss, and
    whether it did. The statistic is the family's relative miss (requested / plan - 1), or,
    for a family judged on a window (int_plan_miss_family_periods), its cumulative relative
    miss over the trailing var miss_window_periods (default 3) periods at the same lag. The
    band is the var miss_confidence (default 0.95) quantile of the family's own absolute
    relative errors of the same kind, known when the cycle was published
    (int_plan_miss_residuals):
    - 'archive': the archived residuals alone, when there are at least
      var miss_min_residuals (default 8) of them;
    - 'archive+backtest': else those and the cycle's backtest residuals together, when
      they are at least that many;
    - 'none': else no band; the miss is not judged and is never counted as forecast error.
    is_miss_significant: |statistic| > band. -#}
{%- set window_periods = var('miss_window_periods') %}
{%- set confidence = var('miss_confidence') %}
{%- set min_residuals = var('miss_min_residuals') %}
with

family_periods as (

    select * from {{ ref('int_plan_miss_family_periods') }}

),

residuals as (

    select * from {{ ref('int_plan_miss_residuals') }}

),

cycle_families as (

    select distinct
        cycle,
        master_family,
        is_judged_on_window

    from family_periods

),

pooled as (

    select
        cycle_families.cycle,
        cycle_families.master_family,
        residuals.residual_source,
        abs(
            case when cycle_families.is_judged_on_window then residuals.window_residual else residuals.period_residual end
        ) as abs_residual

    from cycle_families
    inner join residuals
        on cycle_families.cycle = residuals.cycle
            and cycle_families.master_family = residuals.master_family

),

pool_bands as (

    select
        cycle,
        master_family,
        count(abs_residual) filter (where residual_source = 'archive') as n_archive_residuals,
        count(abs_residual) as n_residuals,
        quantile_cont(abs_residual, {{ confidence }}) filter (where residual_source = 'archive') as archive_band,
        quantile_cont(abs_residual, {{ confidence }}) as pooled_band

    from pooled
    group by cycle, master_family

),

bands as (

    select
        cycle_families.cycle,
        cycle_families.master_family,
        cycle_families.is_judged_on_window,
        case
            when pool_bands.n_archive_residuals >= {{ min_residuals }} then 'archive'
            when pool_bands.n_residuals >= {{ min_residuals }} then 'archive+backtest'
            else 'none'
        end as band_source,
        case
            when pool_bands.n_archive_residuals >= {{ min_residuals }} then pool_bands.n_archive_residuals
            else coalesce(pool_bands.n_residuals, 0)
        end as n_band_residuals,
        case
            when pool_bands.n_archive_residuals >= {{ min_residuals }} then pool_bands.archive_band
            when pool_bands.n_residuals >= {{ min_residuals }} then pool_bands.pooled_band
        end as band

    from cycle_families
    left join pool_bands
        on cycle_families.cycle = pool_bands.cycle
            and cycle_families.master_family = pool_bands.master_family

),

final as (

    select
        family_periods.cycle,
        family_periods.lag,
        family_periods.master_family,
        family_periods.period_id,
        case
            when bands.is_judged_on_window then 'window of {{ window_periods }} periods' else 'period'
        end as miss_judged_on,
        case
            when not bands.is_judged_on_window
                then family_periods.family_requested_units / nullif(family_periods.family_plan_units, 0) - 1
            when family_periods.window_span = {{ window_periods }}
                then family_periods.window_requested_units / nullif(family_periods.window_plan_units, 0) - 1
        end as miss_statistic,
        bands.band as miss_band,
        cast({{ confidence }} as double) as miss_confidence,
        bands.band_source as miss_band_source,
        bands.n_band_residuals

    from family_periods
    inner join bands
        on family_periods.cycle = bands.cycle
            and family_periods.master_family = bands.master_family

)

select
    *,
    coalesce(abs(miss_statistic) > miss_band, false) as is_miss_significant

from final
