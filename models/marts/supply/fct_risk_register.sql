{#- The cycle's risk register: one row per constraint or risk, with a stable risk_id (the
    same risk keeps its id from cycle to cycle; rpt_risk_register follows it from the cycle
    it appeared to the cycle it closed):
    - capacity_overload (RSK-capacity-<resource>): the resource's overloaded periods
      (fct_capacity_load), demand at risk from fct_constrained_plan; owner supply planner;
    - projected_shortage (RSK-shortage-<sku>): projected stock below zero within the
      SKU's lead time (fct_projected_inventory); owner supply planner;
    - late_supplier (RSK-supplier-<supplier>): a supplier that runs late with open
      orders (fct_supplier_risk); owner procurement;
    - excess_obsolescence (RSK-excess-<sku>): an end-of-life SKU still holding stock at
      the end of the horizon, valued at cost; owner finance;
    - escalated_miss (RSK-<escalation_id>): closed-loop misses escalated to the leadership
      review (rpt_miss_escalations); owner from the escalation.
    Size in units and in money (reporting currency), first period affected. One intermediate
    model per risk type (models/intermediate/supply/int_risks__<risk_type>) builds its rows;
    this model unions them. -#}
with

capacity_overload as (

    select * from {{ ref('int_risks__capacity_overload') }}

),

projected_shortage as (

    select * from {{ ref('int_risks__projected_shortage') }}

),

late_supplier as (

    select * from {{ ref('int_risks__late_supplier') }}

),

excess_obsolescence as (

    select * from {{ ref('int_risks__excess_obsolescence') }}

),

escalated_miss as (

    select * from {{ ref('int_risks__escalated_miss') }}

),

final as (

    select * from capacity_overload
    union all
    select * from projected_shortage
    union all
    select * from late_supplier
    union all
    select * from excess_obsolescence
    union all
    select * from escalated_miss

)

select * from final
