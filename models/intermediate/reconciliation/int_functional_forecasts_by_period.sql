{#- The functional forecasts (sales: crm/sales_forecast; operations: erp/ops_forecast, in
    eaches) spread into planning periods, as each planning cycle would have seen them: for
    every cycle (every planning period, its as-of date the period's first day), the latest
    submission of each source code and month made before the as-of date, spread evenly over
    the days of its calendar month. One row per cycle, number, source code, month and
    planning period: the month's units per day (double: quantity / days of the month), the
    days of the month in the period and their product, the part of the forecast that falls
    in the period. Readers sum the rows into planning periods: accuracy per master SKU, in
    double (int_functional_forecasts_by_lag, every archived cycle); the three numbers per
    family (int_three_numbers_by_family_period, the build's cycle), each day rounded to
    decimal(38, 10) so that its sums are exact. The month stays in the grain so that a
    reader can tell which days of a period are covered, per SKU or per family. -#}
with

periods as (

    select * from {{ ref('int_planning_periods') }}

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

sales_forecasts as (

    select * from {{ ref('int_sales_forecasts_checked') }}
    where quarantine_rule is null

),

ops_forecasts as (

    select * from {{ ref('int_ops_forecasts_checked') }}
    where quarantine_rule is null

),

submissions as (

    select
        'sales' as number_source,
        sales_forecasts.crm_product_code as source_code,
        sales_forecasts.master_sku,
        sales_forecasts.master_family,
        sales_forecasts.period_start as month_start,
        sales_forecasts.quantity_eaches,
        sales_forecasts.submitted_at

    from sales_forecasts

    union all

    select
        'operations',
        ops_forecasts.erp_item,
        ops_forecasts.master_sku,
        ops_forecasts.master_family,
        ops_forecasts.period_start,
        ops_forecasts.quantity_eaches,
        ops_forecasts.submitted_at

    from ops_forecasts

),

latest_submissions as (

    select
        submissions.number_source,
        periods.period_id as cycle,
        periods.period_seq as cycle_seq,
        submissions.master_sku,
        submissions.master_family,
        submissions.month_start,
        submissions.source_code,
        submissions.quantity_eaches
        / (date_diff('day', submissions.month_start, last_day(submissions.month_start)) + 1) as units_per_day

    from submissions
    inner join periods on submissions.submitted_at < periods.period_start
    where submissions.master_sku is not null
    qualify row_number() over (
            partition by submissions.number_source, periods.period_id, submissions.source_code, submissions.month_start
            order by submissions.submitted_at desc
        ) = 1

),

month_period_days as (

    select
        cast(date_trunc('month', calendar_date) as date) as month_start,
        period_id,
        count(*) as n_days

    from calendar_days
    group by cast(date_trunc('month', calendar_date) as date), period_id

),

final as (

    select
        latest_submissions.cycle,
        latest_submissions.cycle_seq,
        latest_submissions.number_source,
        latest_submissions.source_code,
        latest_submissions.master_sku,
        latest_submissions.master_family,
        latest_submissions.month_start,
        month_period_days.period_id,
        latest_submissions.units_per_day,
        month_period_days.n_days as days_covered,
        latest_submissions.units_per_day * month_period_days.n_days as forecast_units

    from latest_submissions
    inner join month_period_days on latest_submissions.month_start = month_period_days.month_start

)

select * from final
