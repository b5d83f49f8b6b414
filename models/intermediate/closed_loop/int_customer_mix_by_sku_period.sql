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
    customer_mix_units = sum of the counted changes; the largest one names the customer.
    The customers' units per cycle window are int_customer_units_by_cycle_window. -#}
with

with_family as (

    select * from {{ ref('int_customer_units_by_cycle_window') }}

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
