{#- The single demand history forecasting reads: unconstrained demand per master SKU and
    closed planning period, zero-filled from the SKU's first demand period to the last
    closed period.

    Unconstrained demand is what customers asked for, when they asked for it: CRM order
    lines (open or shipped, net of cancellations) on their requested date. Shipments say
    what supply managed to deliver, so they under-state demand whenever supply failed; they
    are used only when no CRM orders were landed (e.g. an ERP-only extract), and
    `demand_source` says which one a row came from. -#}
with

cycle as (

    select * from {{ ref('int_planning_cycle') }}

),

periods as (

    select * from {{ ref('int_planning_periods') }}

),

orders as (

    select * from {{ ref('int_orders_checked') }}
    where quarantine_rule is null and status != 'cancelled'

),

shipments as (

    select * from {{ ref('int_shipments_checked') }}
    where quarantine_rule is null

),

demand_lines as (

    select
        master_sku,
        master_family,
        requested_period_id as period_id,
        quantity_eaches as demand_units,
        case when promo_id is not null then quantity_eaches else 0 end as promo_units,
        'crm_orders' as demand_source

    from orders

    union all

    select
        master_sku,
        master_family,
        ship_period_id,
        quantity_eaches,
        0,
        'erp_shipments'

    from shipments
    where not exists (select 1 from orders)

),

closed_lines as (

    select demand_lines.*
    from demand_lines
    inner join periods on demand_lines.period_id = periods.period_id
    cross join cycle
    where periods.period_end < cycle.as_of_date

),

per_period as (

    select
        master_sku,
        period_id,
        sum(demand_units) as demand_units,
        sum(promo_units) as promo_units

    from closed_lines
    group by master_sku, period_id

),

sku_spans as (

    select
        closed_lines.master_sku,
        min(closed_lines.master_family) as master_family,
        min(closed_lines.demand_source) as demand_source,
        min(periods.period_seq) as first_period_seq

    from closed_lines
    inner join periods on closed_lines.period_id = periods.period_id
    group by closed_lines.master_sku

),

dense as (

    select
        sku_spans.master_sku,
        sku_spans.master_family,
        periods.period_id,
        periods.period_start,
        periods.period_seq,
        coalesce(per_period.demand_units, 0) as demand_units,
        coalesce(per_period.promo_units, 0) as promo_units,
        sku_spans.demand_source

    from sku_spans
    cross join cycle
    inner join periods
        on sku_spans.first_period_seq <= periods.period_seq
            and cycle.as_of_date > periods.period_end
    left join per_period
        on sku_spans.master_sku = per_period.master_sku
            and periods.period_id = per_period.period_id

)

select * from dense
