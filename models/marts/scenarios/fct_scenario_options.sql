{#- The trade-off options of every constraint the cycle surfaced: one row per risk and
    option, its effect over the horizon against the consensus plan (the sums of its lines
    in fct_scenario_option_lines) and the SKUs and customers it touches. The customers are
    those who ordered a touched SKU in the year before the as-of date (int_orders_checked).
    Cash over the horizon moves with the margin: stock built ahead is sold within the
    horizon, and inventory_value_effect shows the stock it ties up on the way.
    The recommendation, per risk: the option that keeps the most margin over the horizon
    after its cost (margin_effect, largest); on a tie the one that leaves the top-priority
    customers fewest units short, then the one that does nothing (do_nothing or
    accept_shortage), then by option key. The priority options say in their label and
    rationale when no customer priority is landed (crm/customers.priority absent): every
    customer then has the same priority. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

lines as (

    select * from {{ ref('fct_scenario_option_lines') }}

),

risks as (

    select * from {{ ref('fct_risk_register') }}

),

texts as (

    -- the option in words; tie_*: a priority option's words when no customer priority is landed
    select option_texts.* from (
        values
        (
            'do_nothing',
            'Do nothing: cut every SKU pro rata',
            'Every SKU on the resource is cut pro rata to the hours (fct_constrained_plan).',
            null,
            null
        ),
        (
            'allocate_by_margin',
            'Allocate the hours by margin (LP)',
            'The hours go to the SKUs with the most margin per hour first (HiGHS LP).',
            null,
            null
        ),
        (
            'allocate_by_priority',
            'Allocate the hours by customer priority (LP)',
            'The hours serve the customers with the highest priority first (crm/customers.priority, 1 = key '
            || 'account), tier by tier, then the most margin (HiGHS LPs).',
            'Allocate the hours by customer priority (LP): no priorities landed, all tie',
            'No customer priority is landed (crm/customers.priority is absent): every customer has the same '
            || 'priority, so the hours serve the most units, then the most margin (HiGHS LPs).'
        ),
        (
            'build_ahead',
            'Build ahead in earlier periods',
            'The overload''s hours are made earlier, where the resource has spare hours, and carried as stock '
            || 'at the carrying cost rate.',
            null,
            null
        ),
        (
            'add_hours',
            'Add hours (overtime)',
            'The overload''s hours are bought at the overtime cost rate.',
            null,
            null
        ),
        (
            'accept_shortage',
            'Accept the shortage',
            'The units short are lost, pro rata over the customers.',
            null,
            null
        ),
        (
            'expedite',
            'Expedite',
            'The missing units are expedited at the expedite cost share of standard cost.',
            null,
            null
        ),
        (
            'split_supplier',
            'Split to a second supplier',
            'The units short move to a second supplier of the family that does not run late.',
            null,
            null
        ),
        (
            'reallocate_by_priority',
            'Reallocate the stock by customer priority',
            'The same units short, but the stock goes to the customers with the highest priority first '
            || '(crm/customers.priority, 1 = key account): the lowest tiers go short.',
            'Reallocate the stock by customer priority: no priorities landed, all tie',
            'No customer priority is landed (crm/customers.priority is absent): every customer has the same '
            || 'priority, so the stock is shared pro rata, as when the shortage is accepted.'
        )
    ) as option_texts (option_key, option_label, option_rationale, tie_label, tie_rationale)

),

landed_priorities as (

    select coalesce(bool_or(priorities_landed), false) as priorities_landed
    from {{ ref('int_customer_priority_shares') }}

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

customer_skus as (

    select
        orders.master_sku,
        orders.customer_id,
        sum(orders.quantity_eaches) as units

    from orders
    cross join cycle
    where orders.requested_date < cycle.as_of_date and orders.requested_date >= cycle.as_of_date - interval 365 day
    group by orders.master_sku, orders.customer_id

),

option_skus as (

    select
        option_id,
        master_sku,
        sum(units_short) as units_short,
        sum(margin_effect) as margin_effect

    from lines
    group by option_id, master_sku

),

option_customers as (

    select
        option_skus.option_id,
        customer_skus.customer_id,
        sum(customer_skus.units) as units

    from option_skus
    inner join customer_skus on option_skus.master_sku = customer_skus.master_sku
    group by option_skus.option_id, customer_skus.customer_id

),

customers_touched as (

    select
        option_id,
        count(*) as n_customers,
        string_agg(customer_id, ', ' order by units desc, customer_id asc) filter (where customer_rank <= 5) as customers

    from (
        select
            *,
            row_number() over (partition by option_id order by units desc, customer_id asc) as customer_rank
        from option_customers
    ) as ranked
    group by option_id

),

skus_touched as (

    select
        option_id,
        count(*) as n_skus,
        string_agg(master_sku, ', ' order by abs(margin_effect) desc, master_sku) as skus

    from option_skus
    group by option_id

),

options as (

    select
        option_id,
        any_value(risk_id) as risk_id,
        any_value(risk_type) as risk_type,
        any_value(option_key) as option_key,
        min(period_id) as first_period_id,
        sum(units_short) as units_short,
        sum(built_ahead_units) as built_ahead_units,
        sum(revenue_effect) as revenue_effect,
        sum(action_cost) as action_cost,
        sum(margin_effect) as margin_effect,
        sum(inventory_value_effect) as inventory_value_effect,
        sum(top_priority_units_short) as top_priority_units_short

    from lines
    group by option_id

),

ranked as (

    select
        options.*,
        options.option_key in ('do_nothing', 'accept_shortage') as is_no_action,
        row_number() over (
            partition by options.risk_id
            order by
                round(options.margin_effect, 2) desc,
                round(options.top_priority_units_short, 2) asc,
                (options.option_key in ('do_nothing', 'accept_shortage')) desc,
                options.option_key asc
        ) as option_rank,
        max(case when options.option_key in ('do_nothing', 'accept_shortage') then options.margin_effect end)
            over (partition by options.risk_id) as no_action_margin_effect

    from options

),

final as (

    select
        cycle.cycle,
        ranked.option_id,
        ranked.risk_id,
        ranked.risk_type,
        risks.subject,
        ranked.option_key,
        case
            when landed_priorities.priorities_landed or texts.tie_label is null then texts.option_label
            else texts.tie_label
        end as option_label,
        case
            when landed_priorities.priorities_landed or texts.tie_rationale is null then texts.option_rationale
            else texts.tie_rationale
        end as option_rationale,
        cast(ranked.option_rank as bigint) as option_rank,
        ranked.is_no_action,
        ranked.option_rank = 1 as is_recommended,
        'most margin kept over the horizon after the option''s cost; on a tie, the fewest top-priority '
        || 'units short, then no action' as recommendation_rule,
        ranked.first_period_id,
        cast(skus_touched.n_skus as bigint) as n_skus_touched,
        skus_touched.skus as skus_touched,
        cast(coalesce(customers_touched.n_customers, 0) as bigint) as n_customers_touched,
        customers_touched.customers as top_customers_touched,
        cast(ranked.units_short as double) as units_short,
        cast(ranked.built_ahead_units as double) as built_ahead_units,
        cast(ranked.revenue_effect as double) as revenue_effect,
        cast(ranked.action_cost as double) as action_cost,
        cast(ranked.margin_effect as double) as margin_effect,
        cast(ranked.inventory_value_effect as double) as inventory_value_effect,
        cast(ranked.margin_effect as double) as cash_effect,
        cast(ranked.margin_effect - ranked.no_action_margin_effect as double) as margin_gain_vs_no_action,
        cast(ranked.top_priority_units_short as double) as top_priority_units_short

    from ranked
    cross join cycle
    cross join landed_priorities
    inner join texts on ranked.option_key = texts.option_key
    inner join risks on ranked.risk_id = risks.risk_id
    inner join skus_touched on ranked.option_id = skus_touched.option_id
    left join customers_touched on ranked.option_id = customers_touched.option_id

)

select * from final
