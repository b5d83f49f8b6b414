"""The capacity overload's "allocate by margin" option: per period with an overloaded
resource, the units of each SKU that needs an overloaded resource when the hours go to the
most margin per hour first, a linear programme solved with HiGHS.

Thin wrapper: the logic is ``sop_analytics.scenarios.allocate_by_margin`` (tested with
pytest, including a hand-worked programme). ``--empty`` passes zero rows: the result is
then an empty frame of the same columns.
"""


def model(dbt, session):
    dbt.config(materialized="table", packages=[])
    import pandas as pd

    from sop_analytics.scenarios import ALLOCATION_COLUMNS, allocate_by_margin

    lines = dbt.ref("int_capacity_allocation_inputs").df()
    load = dbt.ref("fct_capacity_load").df()
    out = allocate_by_margin(lines, load[["resource_id", "period_id", "available_hours", "is_overloaded"]])
    if out.empty:
        out = pd.DataFrame({c: pd.Series(dtype="object" if c in ("master_sku", "period_id") else "float64")
                            for c in ALLOCATION_COLUMNS})
    return out.astype({"plan_units": "float64", "unit_margin": "float64", "allocated_units": "float64"})
