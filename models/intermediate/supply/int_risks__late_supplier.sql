{#- The risk register's late_supplier risks (RSK-supplier-<supplier>): one row per supplier
    that runs late with open orders (fct_supplier_risk), first affected in the period of its
    first open order's due date (the as-of date when past due), sized by its open units and
    the revenue they feed; owner procurement. fct_risk_register unions it with the other
    risk types. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

suppliers as (

    select * from {{ ref('fct_supplier_risk') }}

),

final as (

    select
        suppliers.cycle,
        'RSK-supplier-' || suppliers.supplier_id as risk_id,
        'late_supplier' as risk_type,
        suppliers.supplier_id as subject,
        periods.period_id as first_period_id,
        suppliers.open_units as size_units,
        suppliers.exposed_revenue as size_money,
        'procurement' as owner_role,
        'open' as status,
        'supplier ' || suppliers.supplier_id || ' received ' || cast(round(100 * suppliers.share_late) as bigint)
        || '% of its orders late in the last year (up to ' || suppliers.max_days_late || ' days); '
        || suppliers.n_open_orders || ' open orders (' || suppliers.n_past_due_orders || ' past due) feed '
        || suppliers.n_exposed_skus || ' SKUs' as description,
        suppliers.exposed_skus as affected_skus

    from suppliers
    inner join periods
        on greatest(suppliers.first_due_date, (select as_of_date from cycle)) between periods.period_start
            and periods.period_end
    where suppliers.runs_late

)

select * from final
