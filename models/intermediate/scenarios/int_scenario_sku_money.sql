{#- What a unit of each master SKU is worth to the scenario options: its price (dim_skus)
    and its standard cost at the reporting rate (seeds/fx_rates.csv), both 0 when missing,
    and its family. Read by the option lines (fct_scenario_option_lines). -#}
with

skus as (

    select * from {{ ref('dim_skus') }}

),

fx_rates as (

    select * from {{ ref('fx_rates') }}

),

final as (

    select
        skus.master_sku,
        skus.master_family,
        cast(coalesce(skus.unit_price, 0) as double) as unit_price,
        cast(coalesce(skus.std_cost, 0) * coalesce(fx_rates.rate_to_reporting, 0) as double) as unit_cost

    from skus
    left join fx_rates on coalesce(skus.currency, '{{ var("reporting_currency") }}') = fx_rates.currency

)

select * from final
