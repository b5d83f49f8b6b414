{#- The costs of the scenario options' actions (seeds/scenario_cost_rates.csv), one row with
    one column per rate: overtime per hour, carrying cost per period held (share of standard
    cost), expedite and second-supplier premiums (shares of standard cost). -#}
with

cost_rates as (

    select * from {{ ref('scenario_cost_rates') }}

),

final as (

    select
        max(value) filter (where rate_name = 'overtime_cost_per_hour') as overtime_cost_per_hour,
        max(value) filter (where rate_name = 'carrying_cost_rate_per_period') as carrying_rate,
        max(value) filter (where rate_name = 'expedite_cost_share') as expedite_share,
        max(value) filter (where rate_name = 'split_supplier_cost_share') as split_share

    from cost_rates

)

select * from final
