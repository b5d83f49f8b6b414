{#- The late_supplier risks of the register (fct_risk_register) with their supplier and its
    worst lateness of the last year (fct_supplier_risk.max_days_late), by which its open
    orders are delayed in the late-supplier options. -#}
with

suppliers as (

    select * from {{ ref('fct_supplier_risk') }}

),

risks as (

    select * from {{ ref('fct_risk_register') }}

),

late as (

    select
        'RSK-supplier-' || suppliers.supplier_id as risk_id,
        suppliers.supplier_id,
        suppliers.max_days_late

    from suppliers
    inner join risks
        on 'RSK-supplier-' || suppliers.supplier_id = risks.risk_id

)

select * from late
