{#- The projected_shortage options, line by line (fct_scenario_option_lines documents them):
    per risk (one master SKU, the register's first period short), accept_shortage (the
    register's units lost), expedite (expedite_cost_share x standard cost per unit short) or
    reallocate_by_priority (the same units short, falling on the lowest customer tiers;
    int_scenario_shortage_reallocation). -#}
with

risks as (

    select * from {{ ref('fct_risk_register') }}

),

sku_money as (

    select * from {{ ref('int_scenario_sku_money') }}

),

rates as (

    select * from {{ ref('int_scenario_cost_rates') }}

),

shortage_lines as (

    select
        risks.risk_id,
        'accept_shortage' as option_key,
        risks.subject as master_sku,
        risks.first_period_id as period_id,
        risks.size_units as units_short,
        0.0 as built_ahead_units,
        0.0 as action_cost

    from risks
    where risks.risk_type = 'projected_shortage'

    union all

    select
        risks.risk_id,
        'expedite',
        risks.subject,
        risks.first_period_id,
        0.0,
        0.0,
        risks.size_units * sku_money.unit_cost * rates.expedite_share

    from risks
    cross join rates
    left join sku_money on risks.subject = sku_money.master_sku
    where risks.risk_type = 'projected_shortage'

    union all

    select
        risks.risk_id,
        'reallocate_by_priority',
        risks.subject,
        risks.first_period_id,
        risks.size_units,
        0.0,
        0.0

    from risks
    where risks.risk_type = 'projected_shortage'

)

select * from shortage_lines
