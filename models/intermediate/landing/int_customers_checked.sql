with

customers as (

    select * from {{ ref('stg_crm__customers') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['customer_id'])) }} as quarantine_rule

    from customers

)

select * from checked
