{#- What hides in the aggregate: SKUs whose error is beyond its threshold while the figure a
    roll-up dashboard shows for their family or for the company (the netted total, where
    SKU errors cancel) looks fine. One row per number, lag and such SKU, pooled over every
    published cycle, ranked by revenue at risk (the SKU's absolute error valued at its
    price).

    A SKU's error is its primary metric: WAPE for smooth, erratic and new SKUs
    (var hidden_error_wape, default 0.30), RMSSE for intermittent, lumpy, inactive and eol
    SKUs, whose WAPE a zero forecast would win (var hidden_error_rmsse, default 1.0).
    For WAPE-judged SKUs a bias beyond var hidden_error_bias (default 0.15, either way)
    counts too, as a level shift shows as bias before it shows as error. Not for
    intermittent SKUs: a forecast of the mean rate is above the actual in every zero period,
    so their bias and tracking signal over a few periods say little. The family or company figure looks fine within var
    comfortable_wape (default 0.15). Only SKUs that drive revenue are listed: ABC class
    (by actual revenue in the window: A = the top 80%, B = the next 15%, C = the last 5%)
    in var hidden_error_abc_classes (default A and B). Numbers scored: var
    hidden_error_numbers (default the statistical baseline). -#}
{%- set numbers = var('hidden_error_numbers') %}
{%- set abc_classes = var('hidden_error_abc_classes') %}
with

accuracy as (

    select * from {{ ref('fct_forecast_accuracy') }}
    where evaluation = 'published' and cycle = 'all'
        and number_source in ('{{ numbers | join("', '") }}')

),

skus as (

    select
        *,
        sum(actual_value) over (
            partition by number_source, lag order by actual_value desc, master_sku asc rows unbounded preceding
        ) / nullif(sum(actual_value) over (partition by number_source, lag), 0) as cumulative_revenue_share

    from accuracy
    where aggregation_level = 'sku'

),

families as (

    select * from accuracy
    where aggregation_level = 'family'

),

company as (

    select * from accuracy
    where aggregation_level = 'company'

),

judged as (

    select
        skus.number_source,
        skus.lag,
        skus.master_sku,
        skus.master_family,
        skus.demand_class,
        skus.primary_metric,
        skus.primary_error as sku_error,
        skus.wape as sku_wape,
        skus.rmsse as sku_rmsse,
        skus.bias_pct as sku_bias_pct,
        skus.tracking_signal,
        families.wape as family_wape,
        families.netted_wape as family_netted_wape,
        company.wape as company_wape,
        company.netted_wape as company_netted_wape,
        case
            when skus.cumulative_revenue_share - skus.actual_value / nullif(
                    sum(skus.actual_value) over (partition by skus.number_source, skus.lag), 0
                ) < 0.80 then 'A'
            when skus.cumulative_revenue_share - skus.actual_value / nullif(
                    sum(skus.actual_value) over (partition by skus.number_source, skus.lag), 0
                ) < 0.95 then 'B'
            else 'C'
        end as abc_class,
        skus.actual_value / nullif(families.actual_value, 0) as share_of_family_revenue,
        skus.abs_error_value as revenue_at_risk,
        skus.primary_error > case skus.primary_metric
            when 'rmsse' then {{ var('hidden_error_rmsse') }}
            else {{ var('hidden_error_wape') }}
        end as is_error_high,
        coalesce(
            skus.primary_metric = 'wape' and abs(skus.bias_pct) > {{ var('hidden_error_bias') }}, false
        ) as is_biased,
        families.netted_wape <= {{ var('comfortable_wape') }} as family_looks_fine,
        company.netted_wape <= {{ var('comfortable_wape') }} as company_looks_fine

    from skus
    inner join families
        on skus.number_source = families.number_source
            and skus.lag = families.lag
            and skus.master_family = families.master_family
    inner join company
        on skus.number_source = company.number_source
            and skus.lag = company.lag

),

hidden as (

    select
        *,
        concat_ws(
            '; ',
            case when is_error_high then primary_metric || ' ' || round(sku_error, 2) || ' beyond its threshold' end,
            case when is_biased then 'bias ' || cast(round(100 * sku_bias_pct) as bigint) || '%' end,
            case when family_looks_fine then 'family shows ' || cast(round(100 * family_netted_wape) as bigint) || '%' end,
            case
                when company_looks_fine then 'company shows ' || cast(round(100 * company_netted_wape) as bigint) || '%'
            end
        ) as why_hidden

    from judged
    where (is_error_high or is_biased) and (family_looks_fine or company_looks_fine)
        and abc_class in ('{{ abc_classes | join("', '") }}')

),

final as (

    select
        number_source,
        lag,
        row_number() over (
            partition by number_source, lag order by revenue_at_risk desc, master_sku asc
        ) as revenue_at_risk_rank,
        master_sku,
        master_family,
        demand_class,
        primary_metric,
        sku_error,
        sku_wape,
        sku_rmsse,
        sku_bias_pct,
        tracking_signal,
        abc_class,
        family_wape,
        family_netted_wape,
        company_wape,
        company_netted_wape,
        share_of_family_revenue,
        revenue_at_risk,
        is_error_high,
        is_biased,
        family_looks_fine,
        company_looks_fine,
        why_hidden

    from hidden

)

select * from final
