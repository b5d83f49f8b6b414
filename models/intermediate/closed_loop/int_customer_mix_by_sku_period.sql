{#- Customer mix as evidence: for every published cycle and closed target period (lags
    1..var accuracy_max_lag), how much of each master SKU's demand came from customers who
    split their family volume across SKUs differently from before the plan was made.

    For customer c, SKU s of family F, the reference is the 6 periods before the cycle (what
    the plan was built on): share_cs = c's units of s / c's units of F there. In a target
    period the customer's split change is m_cs = D_cs - D_cF * share_cs (their own volume
    change removed: pure mix; over the customer's SKUs of F the changes sum to zero). A
    customer shifted its mix in F in a period when, for at least one SKU, the change is
    beyond the customer's own noise: |m_cs| > 3 x the standard deviation of m_cs over the
    6 reference periods (at least a quarter of the customer's usual units of s), the
    customer ordered s in at least 4 of the 6 reference periods (a split measured on one or
    two lumpy orders is noise), and their family volume stays within its own noise
    (|D_cF - mean| <= 2 standard deviations of the reference periods: a customer buying more
    or less of everything is not mix). Then the move is counted on both sides: the changes
    beyond noise in full, and the customer's changes of the other sign on its other SKUs of
    F (the giving side is often spread over lumpy orders inside their noise, but it is the
    same move), the most outstanding first (largest change over its own noise), until they
    account for what moved: the units counted off equal the units counted onto. mix_confidence: at least 1 - 1/z^2 (Chebyshev, whatever the distribution),
    z = the largest |m_cs| / its noise in the shift; above 0.89 by construction.
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

judged as (

    select
        split_changes.*,
        split_changes.ref_periods_ordered >= 4
        and abs(split_changes.family_units - split_changes.usual_family_units) <= 2 * noise.family_noise_units
        and abs(split_changes.split_change_units)
        > 3 * greatest(noise.split_noise_units, 0.25 * split_changes.usual_sku_units) as is_beyond_noise,
        abs(split_changes.split_change_units)
        / nullif(greatest(noise.split_noise_units, 0.25 * split_changes.usual_sku_units), 0) as z_score

    from split_changes
    inner join noise
        on split_changes.cycle = noise.cycle
            and split_changes.customer_id = noise.customer_id
            and split_changes.master_sku = noise.master_sku
    where not split_changes.is_reference

),

shifts as (

    select
        cycle,
        customer_id,
        master_family,
        period_id,
        sum(split_change_units) filter (where is_beyond_noise) as moved_units,
        max(z_score) filter (where is_beyond_noise) as shift_z_score

    from judged
    group by cycle, customer_id, master_family, period_id
    having bool_or(is_beyond_noise)

),

in_shifts as (

    select
        judged.*,
        shifts.moved_units,
        1 - 1 / (shifts.shift_z_score * shifts.shift_z_score) as mix_confidence

    from judged
    inner join shifts
        on judged.cycle = shifts.cycle
            and judged.customer_id = shifts.customer_id
            and judged.master_family = shifts.master_family
            and judged.period_id = shifts.period_id

),

other_sides as (

    select
        *,
        sum(abs(split_change_units)) over (
            partition by cycle, customer_id, master_family, period_id
            order by z_score desc, master_sku asc
            rows between unbounded preceding and 1 preceding
        ) as taken_before_units

    from in_shifts
    where not is_beyond_noise and sign(split_change_units) = -sign(moved_units)

),

counted as (

    select
        * exclude (moved_units),
        split_change_units as counted_units

    from in_shifts
    where is_beyond_noise

    union all by name

    select
        * exclude (moved_units, taken_before_units),
        sign(split_change_units) * greatest(
            least(abs(split_change_units), abs(moved_units) - coalesce(taken_before_units, 0)),
            0
        ) as counted_units

    from other_sides

),

final as (

    select
        cycle,
        master_sku,
        period_id,
        cast(sum(counted_units) as decimal(38, 6)) as customer_mix_units,
        count(*) as n_customers,
        arg_max(customer_id, abs(counted_units)) as top_customer_id,
        cast(arg_max(counted_units, abs(counted_units)) as double) as top_customer_change_units,
        cast(arg_max(usual_sku_units, abs(counted_units)) as double) as top_customer_usual_units,
        cast(arg_max(mix_confidence, abs(counted_units)) as double) as mix_confidence

    from counted
    where counted_units != 0
    group by cycle, master_sku, period_id

)

select * from final
