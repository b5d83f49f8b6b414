{#- This cycle's proposed corrections to the statistical baseline, before they are archived
    (fct_plan_proposals): for a master SKU with forecast-error evidence in at least
    var proposal_min_periods (default 2) of the recent periods
    (int_forecast_error_evidence_by_sku), scale its baseline level (the mean of its first
    three periods, fct_demand_forecast) by its bias ratio; raised when the change is at least
    var proposal_min_change (default 0.10), with the reason and the change in words. No
    proposal for an intermittent or lumpy SKU: a level change is not identifiable from a
    few orders (its family's miss is still judged, on a window, and escalated). The
    reason names the assumption the latest lag-1 forecast error broke
    (fct_plan_miss_root_causes).
    proposal_id = PRP-<cycle>-<master_sku>, stable across re-runs. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

evidence as (

    select * from {{ ref('int_forecast_error_evidence_by_sku') }}

),

root_causes as (

    select * from {{ ref('fct_plan_miss_root_causes') }}

),

baseline as (

    select * from {{ ref('fct_demand_forecast') }}

),

baseline_levels as (

    select
        master_sku,
        avg(forecast_units) as baseline_level_units,
        any_value(demand_class) as demand_class

    from baseline
    where horizon_step <= 3
    group by master_sku

),

latest_causes as (

    select
        root_causes.master_sku,
        arg_max(root_causes.assumption_broken, root_causes.period_id) as assumption_broken

    from root_causes
    where root_causes.lag = 1 and root_causes.root_cause = 'forecast_error'
    group by root_causes.master_sku

),

candidates as (

    select
        cycle.cycle,
        evidence.master_sku,
        evidence.master_family,
        evidence.n_periods,
        evidence.first_period_id,
        evidence.last_period_id,
        cast(baseline_levels.baseline_level_units * evidence.bias_ratio as double) as proposed_level_units,
        cast(baseline_levels.baseline_level_units as double) as baseline_level_units,
        cast(evidence.recent_bias_pct as double) as recent_bias_pct,
        evidence.adaptation,
        latest_causes.assumption_broken

    from evidence
    cross join cycle
    inner join baseline_levels on evidence.master_sku = baseline_levels.master_sku
    left join latest_causes on evidence.master_sku = latest_causes.master_sku
    where
        not coalesce(baseline_levels.demand_class in ('intermittent', 'lumpy'), false)
        and evidence.n_periods >= {{ var('proposal_min_periods') }}
        and baseline_levels.baseline_level_units > 0 and evidence.bias_ratio is not null

),

final as (

    select
        'PRP-' || cycle || '-' || master_sku as proposal_id,
        cycle,
        master_sku,
        master_family,
        're-level' as proposal_type,
        baseline_level_units,
        proposed_level_units,
        proposed_level_units / baseline_level_units - 1 as change_pct,
        recent_bias_pct,
        n_periods as n_forecast_error_periods,
        'lag-1 demand ' || case when proposed_level_units >= baseline_level_units then 'above' else 'below' end
        || ' the plan beyond noise in ' || n_periods || ' of the periods '
        || first_period_id || ' to ' || last_period_id || ' ('
        || case when recent_bias_pct >= 0 then '+' else '' end || cast(round(100 * recent_bias_pct) as bigint) || '% over them all)'
        || coalesce('; ' || assumption_broken, '')
        || case
            when abs(adaptation - 1) >= 0.005
                then
                    '; the baseline has since moved ' || case when adaptation >= 1 then '+' else '' end
                    || cast(round(100 * (adaptation - 1)) as bigint) || '% of its own accord'
            else ''
        end as reason,
        'scale the baseline by ' || round(proposed_level_units / baseline_level_units, 3)
        || ': from ' || round(baseline_level_units, 1) || ' to ' || round(proposed_level_units, 1)
        || ' units per period over the horizon' as proposed_change

    from candidates
    where abs(proposed_level_units / baseline_level_units - 1) >= {{ var('proposal_min_change') }}

)

select * from final
