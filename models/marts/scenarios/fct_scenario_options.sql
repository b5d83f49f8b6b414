{#- The trade-off options of every constraint the cycle surfaced: one row per risk and
    option, its effect over the horizon against the consensus plan (the sums of its lines
    in fct_scenario_option_lines), its words (int_scenario_option_texts) and the SKUs and
    customers it touches (int_scenario_option_touches: the customers are those who ordered
    a touched SKU in the year before the as-of date).
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

    select * from {{ ref('int_scenario_option_texts') }}

),

touches as (

    select * from {{ ref('int_scenario_option_touches') }}

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
        texts.option_label,
        texts.option_rationale,
        cast(ranked.option_rank as bigint) as option_rank,
        ranked.is_no_action,
        ranked.option_rank = 1 as is_recommended,
        'most margin kept over the horizon after the option''s cost; on a tie, the fewest top-priority '
        || 'units short, then no action' as recommendation_rule,
        ranked.first_period_id,
        cast(touches.n_skus as bigint) as n_skus_touched,
        touches.skus as skus_touched,
        cast(coalesce(touches.n_customers, 0) as bigint) as n_customers_touched,
        touches.customers as top_customers_touched,
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
    inner join texts on ranked.option_key = texts.option_key
    inner join risks on ranked.risk_id = risks.risk_id
    inner join touches on ranked.option_id = touches.option_id

)

select * from final
