{#- The SKUs and customers each trade-off option touches (read by fct_scenario_options):
    per option, the master SKUs its lines change (fct_scenario_option_lines), largest margin
    effect first, and the customers who ordered one of them in the year before the as-of
    date (int_orders_checked, cancelled and quarantined lines left out), the five with the
    most units of them named. An option whose SKUs nobody ordered has no customers (null). -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

lines as (

    select * from {{ ref('fct_scenario_option_lines') }}

),

orders_checked as (

    select * from {{ ref('int_orders_checked') }}

),

orders as (

    select * from orders_checked
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

final as (

    select
        skus_touched.option_id,
        skus_touched.n_skus,
        skus_touched.skus,
        customers_touched.n_customers,
        customers_touched.customers

    from skus_touched
    left join customers_touched on skus_touched.option_id = customers_touched.option_id

)

select * from final
