{#- Which assumption broke, per material miss: one row per published cycle, lag, master SKU
    and closed period whose miss is at least var miss_materiality (default 0.25) of
    max(plan, shipped) and whose largest part is not demand variability. The cause is that
    largest part, said in words and numbers:
    - forecast_error: the family's demand level against the plan over the run of
      consecutive periods (same lag) where it was beyond the family's own error band the
      same way (int_plan_miss_bands), e.g. "SURGICAL demand level +24% vs plan since
      2026-04 (lag 1, beyond its own 95% error band of +/-9%)";
    - supply_disruption: the suppliers whose receipts were late (days) or a stock-out;
    - customer_mix: the customer who moved most units onto or off the SKU against their
      usual split (int_customer_mix_by_sku_period), e.g. "customer C-1101 moved +3,220
      units onto MD10006 against its usual split (usual 696 a period)". -#}
with

decomposition as (

    select * from {{ ref('fct_plan_miss_decomposition') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

family_periods as (

    select distinct
        decomposition.lag,
        decomposition.master_family,
        decomposition.period_id,
        periods.period_seq,
        decomposition.family_plan_units,
        decomposition.family_requested_units,
        decomposition.is_volume_beyond_noise,
        decomposition.miss_band,
        decomposition.miss_confidence,
        sign(decomposition.family_requested_units - decomposition.family_plan_units) as direction

    from decomposition
    inner join periods on decomposition.period_id = periods.period_id

),

family_runs as (

    select
        *,
        period_seq - row_number() over (
            partition by lag, master_family, is_volume_beyond_noise, direction order by period_seq
        ) as run_key

    from family_periods

),

family_levels as (

    select
        lag,
        master_family,
        period_id,
        is_volume_beyond_noise,
        miss_band,
        miss_confidence,
        first_value(period_id) over run_so_far as run_start_period_id,
        sum(family_requested_units) over run_so_far / nullif(sum(family_plan_units) over run_so_far, 0) - 1
            as run_level_change

    from family_runs
    window run_so_far as (
        partition by lag, master_family, is_volume_beyond_noise, direction, run_key
        order by period_seq
        rows between unbounded preceding and current row
    )

),

material as (

    select
        decomposition.*,
        case greatest(
            abs(decomposition.supply_disruption_units), abs(decomposition.customer_mix_units),
            abs(decomposition.forecast_error_units), abs(decomposition.demand_variability_units)
        )
            when abs(decomposition.demand_variability_units) then 'demand_variability'
            when abs(decomposition.forecast_error_units) then 'forecast_error'
            when abs(decomposition.supply_disruption_units) then 'supply_disruption'
            else 'customer_mix'
        end as root_cause

    from decomposition
    where
        abs(decomposition.total_miss_units)
        >= {{ var('miss_materiality') }} * greatest(decomposition.plan_units, decomposition.shipped_units)
        and decomposition.total_miss_units != 0

),

final as (

    select
        material.cycle,
        material.lag,
        material.master_sku,
        material.master_family,
        material.period_id,
        material.plan_units,
        material.shipped_units,
        material.total_miss_units,
        material.root_cause,
        case material.root_cause
            when 'forecast_error' then material.forecast_error_units
            when 'supply_disruption' then material.supply_disruption_units
            else material.customer_mix_units
        end as root_cause_units,
        case material.root_cause
            when 'forecast_error'
                then material.master_family || ' demand level ' || case
                        when family_levels.run_level_change >= 0 then '+' else ''
                    end
                    || cast(round(100 * family_levels.run_level_change) as bigint) || '% vs plan since '
                    || family_levels.run_start_period_id || ' (lag ' || material.lag
                    || ', beyond its own ' || cast(round(100 * family_levels.miss_confidence) as bigint)
                    || '% error band of +/-' || cast(round(100 * family_levels.miss_band) as bigint) || '%)'
            when 'supply_disruption'
                then case
                        when material.suppliers is not null
                            then 'supplier ' || material.suppliers || ' receipts up to '
                                || material.max_days_late || ' days late'
                        else 'stock-out: nothing on hand in ' || material.n_stockout_snapshots || ' snapshots'
                    end
                    || '; ' || cast(round(abs(material.supply_disruption_units)) as bigint) || ' units '
                    || case when material.supply_disruption_units < 0 then 'requested but not shipped in ' else
                            'shipped late into '
                    end || material.period_id
            else 'customer ' || material.top_customer_id || ' moved '
                || case when material.top_customer_change_units >= 0 then '+' else '' end
                || cast(round(material.top_customer_change_units) as bigint) || ' units '
                || case when material.top_customer_change_units >= 0 then 'onto ' else 'off ' end
                || material.master_sku || ' against its usual split (usual '
                || cast(round(material.top_customer_usual_units) as bigint) || ' a period) in ' || material.period_id
                || ', its ' || material.master_family || ' volume unchanged'
        end as assumption_broken,
        family_levels.run_start_period_id as level_shift_since_period_id,
        family_levels.run_level_change as level_change_pct,
        material.suppliers,
        material.max_days_late,
        material.top_customer_id,
        material.top_customer_change_units

    from material
    left join family_levels
        on material.lag = family_levels.lag
            and material.master_family = family_levels.master_family
            and material.period_id = family_levels.period_id
    where material.root_cause != 'demand_variability'

)

select * from final
