{#- Misses go to the people who can act: one row per escalation, the material commercial
    (customer mix -> sales lead), supply (supply disruption -> supply planner) and
    forecast-error (-> demand planner) misses of a master SKU at lag 1 (material: the part
    is at least var escalation_min_share (default 0.25) of max(plan, shipped) and at least
    var escalation_min_units (default 0) units). escalation_id = ESC-<cause>-<master_sku>
    is stable across cycles. A forecast-error part is there only where the family's miss
    is beyond its own error band, a customer-mix part only where a customer's move is
    beyond its own noise (fct_plan_miss_decomposition); both are escalated only when they
    persist, in at least var escalation_min_periods (default 3) consecutive periods (a
    family's misses are autocorrelated: two in a row beyond a 95% band is not rare).
    Supply disruption is escalated from its first period (late receipts, stock-outs).
    `open` while the cause recurs in the last closed period; periods_open counts the
    consecutive periods up to it; open for var escalation_leadership_periods (default 2)
    periods or more, it goes to the leadership review. -#}
with

decomposition as (

    select * from {{ ref('fct_plan_miss_decomposition') }}
    where lag = 1

),

root_causes as (

    select * from {{ ref('fct_plan_miss_root_causes') }}
    where lag = 1

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

parts as (

    select
        decomposition.master_sku,
        decomposition.master_family,
        decomposition.period_id,
        decomposition.plan_units,
        decomposition.shipped_units,
        'supply_disruption' as cause,
        decomposition.supply_disruption_units as cause_units

    from decomposition

    union all

    select
        decomposition.master_sku,
        decomposition.master_family,
        decomposition.period_id,
        decomposition.plan_units,
        decomposition.shipped_units,
        'customer_mix',
        decomposition.customer_mix_units

    from decomposition

    union all

    select
        decomposition.master_sku,
        decomposition.master_family,
        decomposition.period_id,
        decomposition.plan_units,
        decomposition.shipped_units,
        'forecast_error',
        decomposition.forecast_error_units

    from decomposition

),

material as (

    select
        parts.*,
        periods.period_seq

    from parts
    inner join periods on parts.period_id = periods.period_id
    where
        abs(parts.cause_units) >= {{ var('escalation_min_share') }} * greatest(parts.plan_units, parts.shipped_units)
        and abs(parts.cause_units) >= {{ var('escalation_min_units') }}
        and parts.cause_units != 0

),

runs as (

    select
        *,
        period_seq - row_number() over (partition by cause, master_sku order by period_seq) as run_key

    from material

),

persistent as (

    select *
    from runs
    qualify
        cause = 'supply_disruption'
        or count(*) over (partition by cause, master_sku, run_key) >= {{ var('escalation_min_periods') }}

),

summary as (

    select
        cause,
        master_sku,
        any_value(master_family) as master_family,
        min(period_id) as first_period_id,
        max(period_id) as last_period_id,
        max(period_seq) as last_period_seq,
        count(*) as n_periods,
        sum(abs(cause_units)) as units_at_stake,
        arg_max(run_key, period_seq) as last_run_key

    from persistent
    group by cause, master_sku

),

last_runs as (

    select
        persistent.cause,
        persistent.master_sku,
        count(*) as run_periods

    from persistent
    inner join summary
        on persistent.cause = summary.cause
            and persistent.master_sku = summary.master_sku
            and persistent.run_key = summary.last_run_key
    group by persistent.cause, persistent.master_sku

),

latest_texts as (

    select
        root_causes.master_sku,
        root_causes.root_cause,
        arg_max(root_causes.assumption_broken, root_causes.period_id) as assumption_broken

    from root_causes
    group by root_causes.master_sku, root_causes.root_cause

),

final as (

    select
        'ESC-' || summary.cause || '-' || summary.master_sku as escalation_id,
        summary.cause,
        summary.master_sku,
        summary.master_family,
        case summary.cause
            when 'supply_disruption' then 'supply planner'
            when 'customer_mix' then 'sales lead'
            else 'demand planner'
        end as owner_role,
        summary.first_period_id,
        summary.last_period_id,
        summary.n_periods,
        cast(summary.units_at_stake as double) as units_at_stake,
        case when summary.last_period_seq = cycle.cycle_period_seq - 1 then 'open' else 'closed' end as status,
        case when summary.last_period_seq = cycle.cycle_period_seq - 1 then last_runs.run_periods else 0 end
            as periods_open,
        summary.last_period_seq = cycle.cycle_period_seq - 1
        and last_runs.run_periods >= {{ var('escalation_leadership_periods') }} as is_escalated_to_leadership,
        latest_texts.assumption_broken as latest_cause

    from summary
    cross join cycle
    inner join last_runs
        on summary.cause = last_runs.cause
            and summary.master_sku = last_runs.master_sku
    left join latest_texts
        on summary.master_sku = latest_texts.master_sku
            and summary.cause = latest_texts.root_cause

)

select * from final
