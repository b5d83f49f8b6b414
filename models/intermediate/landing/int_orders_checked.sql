with

orders as (

    select * from {{ ref('stg_crm__orders') }}

),

codes as (

    select * from {{ ref('int_skus_mapped_to_master') }}
    where source_system = 'crm'

),

customers as (

    select * from {{ ref('int_customers_checked') }}
    where quarantine_rule is null

),

calendar_days as (

    select * from {{ ref('int_calendar_days') }}

),

landing_as_of as (

    select * from {{ ref('int_landing_as_of_date') }}

),

checked as (

    select
        orders.*,
        codes.master_sku,
        codes.master_family,
        requested_days.period_id as requested_period_id,
        {{ quarantine_rule(key_rules(['orders.order_id', 'orders.line_no']) + [
            ['orders.customer_id is null or orders.crm_product_code is null or orders.requested_date is null or orders.quantity_eaches is null or orders.status is null', 'missing_value'],
            ["orders.status not in ('open', 'shipped', 'cancelled')", 'unknown_status'],
        ] + code_rules('codes') + [
            ['customers.customer_id is null and exists (select 1 from customers)', 'unknown_customer'],
            ['orders.quantity_eaches <= 0', 'non_positive_quantity'],
            ['orders.unit_price < 0', 'negative_value'],
            ['orders.requested_date > landing_as_of.horizon_end_date or orders.order_date > landing_as_of.horizon_end_date', 'beyond_horizon'],
            ['requested_days.calendar_date is null or order_days.calendar_date is null', 'date_outside_calendar'],
        ]) }} as quarantine_rule

    from orders
    cross join landing_as_of
    left join codes on orders.crm_product_code = codes.source_code
    left join customers on orders.customer_id = customers.customer_id
    left join calendar_days as requested_days on orders.requested_date = requested_days.calendar_date
    left join calendar_days as order_days on orders.order_date = order_days.calendar_date

)

select * from checked
