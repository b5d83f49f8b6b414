"""The capacity overload's "allocate by customer priority" option: per period with an
overloaded resource, the units of each SKU that needs an overloaded resource, per customer
priority tier it serves, when the hours go to the highest-priority customers first
(lexicographic linear programmes solved with HiGHS, then the most margin).

Thin wrapper: the logic is ``sop_analytics.scenarios.allocate_by_priority`` (tested with
pytest, including a hand-worked programme). ``--empty`` passes zero rows: the result is
then an empty frame of the same columns.
"""


def model(dbt, session):
    dbt.config(materialized="table", packages=[])
    import pandas as pd

    from sop_analytics.scenarios import PRIORITY_ALLOCATION_COLUMNS, allocate_by_priority

    lines = dbt.ref("int_capacity_allocation_inputs").df()
    load = dbt.ref("fct_capacity_load").df()
    tiers = dbt.ref("int_customer_priority_shares").df()
    out = allocate_by_priority(lines, load[["resource_id", "period_id", "available_hours", "is_overloaded"]],
                               tiers[["master_sku", "priority_tier", "tier_share"]])
    types = {"master_sku": "object", "period_id": "object", "priority_tier": "int64"}
    if out.empty:
        out = pd.DataFrame({c: pd.Series(dtype=types.get(c, "float64")) for c in PRIORITY_ALLOCATION_COLUMNS})
    return out.astype({"priority_tier": "int64", "plan_units": "float64", "unit_margin": "float64",
                       "allocated_units": "float64"})
