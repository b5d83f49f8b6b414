{#- How far the landed data reaches (one row), read from the staged extracts so that every
    checked model can use it.

    data_as_of_date: the last date of actual demand (ship dates, order dates, requested
    dates of shipped order lines). The dates are taken in order and split into runs at every
    gap longer than the horizon (var horizon_days, default 548, about 18 months); the run
    with the most rows is the data, and the as-of date is its last date, so one row dated
    years ahead never moves it (such rows are quarantined as `beyond_horizon`). When every
    date of that run is the first of a month (monthly buckets, e.g. a monthly demand
    history), each date stands for its month and the as-of date is the last day of the
    last month.
    horizon_end_date: the as-of date plus the horizon; rows dated after it are quarantined.
    first_landed_date: the earliest date of any landed entity (the generated calendar starts
    with its fiscal year). -#}
{%- set horizon_days = var('horizon_days') %}
with

orders as (

    select * from {{ ref('stg_crm__orders') }}

),

shipments as (

    select * from {{ ref('stg_erp__shipments') }}

),

activity as (

    select ship_date as activity_date from shipments
    where ship_date is not null
    union all
    select order_date from orders
    where order_date is not null
    union all
    select requested_date from orders
    where requested_date is not null and status = 'shipped'

),

by_date as (

    select
        activity_date,
        count(*) as n_rows

    from activity
    group by activity_date

),

gaps as (

    select
        activity_date,
        n_rows,
        coalesce(date_diff('day', lag(activity_date) over (order by activity_date), activity_date) > {{ horizon_days }}, false)
            as starts_run

    from by_date

),

runs as (

    select
        activity_date,
        n_rows,
        sum(cast(starts_run as integer)) over (order by activity_date rows between unbounded preceding and current row) as run_id

    from gaps

),

run_sizes as (

    select
        run_id,
        min(activity_date) as first_date,
        max(activity_date) as last_date,
        sum(n_rows) as n_rows,
        bool_and(day(activity_date) = 1) as is_monthly

    from runs
    group by run_id

),

main_run as (

    select * from run_sizes
    order by n_rows desc, last_date desc
    limit 1

),

landed_dates as (

    select min(order_date) as first_date from orders
    union all
    select min(requested_date) from orders
    union all
    select min(ship_date) from shipments
    union all
    select min(posting_date) from {{ ref('stg_gl__journal_lines') }}
    union all
    select make_date(cast(min(fiscal_year) as integer), 1, 4) from {{ ref('stg_gl__journal_lines') }}
    union all
    select make_date(cast(min(fiscal_year) as integer), 1, 4) from {{ ref('stg_gl__budgets') }}
    union all
    select min(snapshot_date) from {{ ref('stg_erp__inventory_snapshots') }}
    union all
    select min(order_date) from {{ ref('stg_erp__supply_orders') }}
    union all
    select min(due_date) from {{ ref('stg_erp__supply_orders') }}
    union all
    select min(received_date) from {{ ref('stg_erp__supply_orders') }}
    union all
    select min(period_start) from {{ ref('stg_erp__resource_capacities') }}
    union all
    select min(period_start) from {{ ref('stg_erp__ops_forecasts') }}
    union all
    select min(period_start) from {{ ref('stg_crm__sales_forecasts') }}
    union all
    select min(start_date) from {{ ref('stg_crm__promotions') }}
    union all
    select min(end_date) from {{ ref('stg_crm__promotions') }}

),

as_of as (

    select
        case when main_run.is_monthly then last_day(main_run.last_date) else main_run.last_date end as data_as_of_date,
        main_run.first_date as demand_first_date,
        main_run.n_rows as activity_rows,
        (select sum(n_rows) from by_date) - main_run.n_rows as activity_rows_outside

    from main_run

),

one_row as (

    select
        as_of.data_as_of_date,
        cast(as_of.data_as_of_date + interval {{ horizon_days }} day as date) as horizon_end_date,
        {{ horizon_days }} as horizon_days,
        (select min(first_date) from landed_dates) as first_landed_date,
        as_of.demand_first_date,
        coalesce(as_of.activity_rows, 0) as activity_rows,
        coalesce(as_of.activity_rows_outside, 0) as activity_rows_outside

    from (select 1 as one) as anchor
    left join as_of on true

)

select * from one_row
