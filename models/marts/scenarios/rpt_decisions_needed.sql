{#- "Decisions needed today": one row per material constraint of the cycle, ranked by the
    money at stake (the revenue lost when nothing is done: the no-action option of
    fct_scenario_options), with its options side by side (no action, the recommended one,
    and every option as one line of text) and the recommendation with its rule. A
    constraint is material when its money at stake reaches its risk type's threshold
    (seeds/materiality_thresholds.csv). The leadership decision that chose an option for
    the risk (fct_leadership_decisions.option_id), if any, is named. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

options as (

    select * from {{ ref('fct_scenario_options') }}

),

risks as (

    select * from {{ ref('fct_risk_register') }}

),

thresholds as (

    select * from {{ ref('materiality_thresholds') }}

),

decisions as (

    select * from {{ ref('fct_leadership_decisions') }}
    where option_id is not null

),

no_action as (

    select * from options
    where is_no_action

),

recommended as (

    select * from options
    where is_recommended

),

side_by_side as (

    select
        risk_id,
        cast(count(*) as bigint) as n_options,
        string_agg(
            option_key || ': margin ' || cast(round(margin_effect) as bigint) || ', revenue '
            || cast(round(revenue_effect) as bigint) || ', cost ' || cast(round(action_cost) as bigint)
            || ', units short ' || cast(round(units_short) as bigint)
            || ' (key accounts ' || cast(round(top_priority_units_short) as bigint) || ')',
            '; ' order by option_rank
        ) as options_compared

    from options
    group by risk_id

),

chosen as (

    select
        risk_id,
        arg_max(option_id, decision_id) as chosen_option_id,
        max(decision_id) as decision_id

    from decisions
    group by risk_id

),

final as (

    select
        cycle.cycle,
        cast(row_number() over (order by -no_action.revenue_effect desc, no_action.risk_id) as bigint) as decision_rank,
        no_action.risk_id,
        no_action.risk_type,
        no_action.subject,
        risks.description as risk_description,
        risks.owner_role,
        no_action.first_period_id,
        cast(-no_action.revenue_effect as double) as money_at_stake,
        thresholds.threshold_money as materiality_threshold,
        side_by_side.n_options,
        no_action.option_id as no_action_option_id,
        no_action.units_short as no_action_units_short,
        no_action.margin_effect as no_action_margin_effect,
        recommended.option_id as recommended_option_id,
        recommended.option_label as recommended_option_label,
        recommended.units_short as recommended_units_short,
        recommended.revenue_effect as recommended_revenue_effect,
        recommended.action_cost as recommended_action_cost,
        recommended.margin_effect as recommended_margin_effect,
        recommended.margin_gain_vs_no_action as recommended_margin_gain,
        recommended.recommendation_rule,
        side_by_side.options_compared,
        chosen.chosen_option_id,
        chosen.decision_id

    from no_action
    cross join cycle
    inner join risks on no_action.risk_id = risks.risk_id
    inner join recommended on no_action.risk_id = recommended.risk_id
    inner join side_by_side on no_action.risk_id = side_by_side.risk_id
    left join thresholds on no_action.risk_type = thresholds.risk_type
    left join chosen on no_action.risk_id = chosen.risk_id
    where -no_action.revenue_effect >= coalesce(thresholds.threshold_money, 0)

)

select * from final
