{#- Customer mix as evidence: for every published cycle and closed target period (lags
    1..var accuracy_max_lag), how much of each master SKU's demand came from customers who
    split their family volume across SKUs differently from before the plan was made.

    For customer c, SKU s of family F, the reference is the 6 periods before the cycle (what
    the plan was built on): share_cs = c's units of s / c's units of F there. In a target
    period the customer's split change is m_cs = D_cs - D_cF * share_cs (their own volume
    change removed: pure mix). It counts when beyond the customer's own noise: |m_cs| >
    3 x the standard deviation of m_cs over the 6 reference periods (at least a quarter of
    the customer's usual units of s). Only regular buyers are read: the customer ordered s
    in at least 4 of the 6 reference periods; a split measured on one or two lumpy orders
    is noise, not a mix. Mix is a move, not more or less business: it counts only while
    the customer's family volume stays within its own noise (|D_cF - mean| <= 2 standard
    deviations of the reference periods), so a customer buying more or less of everything
    is not mix. The receiving side of a move is often clear while the giving side is spread
    over lumpy orders inside their noise: what is counted is what stands out.
    customer_mix_units = sum of the counted changes; the largest one names the customer. -#}
{%- set max_lag = var('accuracy_max_lag') %}
with

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

inputs as (

    select distinct cycle
    from {{ ref('fct_plan_archive') }}

),

cycles as (

    select
        inputs.cycle,
        periods.period_seq as cycle_seq

    from inputs
    inner join periods on inputs.cycle = periods.period_id

),

closed_periods as (

    select periods.*
    from periods
    cross join cycle
    where periods.period_end < cycle.as_of_date

),

units as (

    select
        orders.customer_id,
        orders.master_sku,
        orders.master_family,
        periods.period_seq,
        sum(orders.quantity_eaches) as units

    from orders
    inner join periods on orders.requested_period_id = periods.period_id
    group by orders.customer_id, orders.master_sku, orders.master_family, periods.period_seq

),

windows as (

    select
        cycles.cycle,
        cycles.cycle_seq,
        closed_periods.period_seq,
        closed_periods.period_id,
        closed_periods.period_seq < cycles.cycle_seq as is_reference

    from cycles
    inner join closed_periods
        on closed_periods.period_seq between cycles.cycle_seq - 6 and cycles.cycle_seq + {{ max_lag }} - 1

),

pairs as (

    select distinct
        windows.cycle,
        units.customer_id,
        units.master_sku,
        units.master_family

    from units
    inner join windows on units.period_seq = windows.period_seq

),

grid as (

    select
        pairs.*,
        windows.period_seq,
        windows.period_id,
        windows.is_reference,
        coalesce(units.units, 0) as sku_units

    from pairs
    inner join windows on pairs.cycle = windows.cycle
    left join units
        on pairs.customer_id = units.customer_id
            and pairs.master_sku = units.master_sku
            and windows.period_seq = units.period_seq

),

with_family as (

    select
        *,
        sum(sku_units) over (partition by cycle, customer_id, master_family, period_seq) as family_units

    from grid

),

reference as (

    select
        cycle,
        customer_id,
        master_sku,
        sum(sku_units) as ref_sku_units,
        sum(family_units) as ref_family_units,
        count(*) filter (where sku_units > 0) as ref_periods_ordered

    from with_family
    where is_reference
    group by cycle, customer_id, master_sku

),

split_changes as (

    select
        with_family.cycle,
        with_family.customer_id,
        with_family.master_sku,
        with_family.master_family,
        with_family.period_id,
        with_family.is_reference,
        reference.ref_sku_units / 6.0 as usual_sku_units,
        reference.ref_periods_ordered,
        reference.ref_family_units / 6.0 as usual_family_units,
        with_family.family_units,
        with_family.sku_units - with_family.family_units
        * coalesce(reference.ref_sku_units / nullif(reference.ref_family_units, 0), 0) as split_change_units

    from with_family
    inner join reference
        on with_family.cycle = reference.cycle
            and with_family.customer_id = reference.customer_id
            and with_family.master_sku = reference.master_sku

),

noise as (

    select
        cycle,
        customer_id,
        master_sku,
        coalesce(stddev_pop(split_change_units), 0) as split_noise_units,
        coalesce(stddev_pop(family_units), 0) as family_noise_units

    from split_changes
    where is_reference
    group by cycle, customer_id, master_sku

),

counted as (

    select
        split_changes.*,
        noise.split_noise_units

    from split_changes
    inner join noise
        on split_changes.cycle = noise.cycle
            and split_changes.customer_id = noise.customer_id
            and split_changes.master_sku = noise.master_sku
    where
        not split_changes.is_reference
        and split_changes.ref_periods_ordered >= 4
        and abs(split_changes.split_change_units)
        > 3 * greatest(noise.split_noise_units, 0.25 * split_changes.usual_sku_units)
        and abs(split_changes.family_units - split_changes.usual_family_units) <= 2 * noise.family_noise_units

),

final as (

    select
        cycle,
        master_sku,
        period_id,
        cast(sum(split_change_units) as decimal(38, 6)) as customer_mix_units,
        count(*) as n_customers,
        arg_max(customer_id, abs(split_change_units)) as top_customer_id,
        cast(arg_max(split_change_units, abs(split_change_units)) as double) as top_customer_change_units,
        cast(arg_max(usual_sku_units, abs(split_change_units)) as double) as top_customer_usual_units

    from counted
    group by cycle, master_sku, period_id

)

select * from final
