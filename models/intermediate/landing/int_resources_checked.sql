with

resources as (

    select * from {{ ref('stg_erp__resources') }}

),

checked as (

    select
        *,
        {{ quarantine_rule(key_rules(['resource_id'])) }} as quarantine_rule

    from resources

)

select * from checked
