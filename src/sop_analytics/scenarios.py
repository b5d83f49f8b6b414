"""Trade-off options for the constraints Week 2 surfaces: the capacity allocation by margin,
solved as a small linear programme with HiGHS (``highspy``).

For every planning period where a resource is overloaded, the SKUs that need an overloaded
resource in that period share the hours: choose units ``x_s`` (0 <= x_s <= planned units)
to maximise the margin ``sum_s margin_s * x_s`` subject to, for every resource ``r`` with
capacity data in the period, ``sum_s hours_rs * x_s <= available_r - fixed_r`` (``fixed_r``
= the hours of the SKUs on ``r`` that need no overloaded resource: they keep their plan).
The pro rata cut of ``fct_constrained_plan`` is one feasible point of this programme, so
the allocation never earns less margin than doing nothing.

The dbt model ``int_capacity_allocation`` is a thin wrapper over :func:`allocate_by_margin`.
"""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd

__all__ = ["ALLOCATION_COLUMNS", "allocate_by_margin", "solve_period"]

ALLOCATION_COLUMNS = ["master_sku", "period_id", "plan_units", "unit_margin", "allocated_units"]


def solve_period(plan_units: np.ndarray, unit_margin: np.ndarray, hours: np.ndarray,
                 available: np.ndarray) -> np.ndarray:
    """Maximise ``unit_margin @ x`` s.t. ``hours @ x <= available``, ``0 <= x <= plan_units``.

    ``hours`` is (resources x SKUs) hours per unit. Returns ``x``."""
    n = len(plan_units)
    if n == 0:
        return np.zeros(0)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    inf = highspy.kHighsInf
    for j in range(n):
        # HiGHS minimises: the cost is minus the margin
        h.addVar(0.0, float(max(plan_units[j], 0.0)))
        h.changeColCost(j, -float(unit_margin[j]))
    for r in range(hours.shape[0]):
        cols = np.flatnonzero(hours[r] > 0)
        if len(cols) == 0:
            continue
        h.addRow(-inf, float(max(available[r], 0.0)), len(cols), cols.astype(np.int32),
                 hours[r, cols].astype(np.float64))
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"capacity allocation LP not solved: {h.modelStatusToString(status)}")
    x = np.asarray(h.getSolution().col_value, dtype=float)
    return np.clip(x, 0.0, np.maximum(plan_units, 0.0))


def allocate_by_margin(lines: pd.DataFrame, capacity: pd.DataFrame) -> pd.DataFrame:
    """Allocate overloaded hours to the SKUs with the most margin per hour, per period.

    ``lines``: one row per master_sku x period_id x resource_id with ``hours_per_unit``,
    ``plan_units`` and ``unit_margin`` (money per unit). ``capacity``: resource_id x
    period_id with ``available_hours`` (missing: the resource has no capacity data, no
    constraint) and ``is_overloaded``. Returns one row per SKU and period that needs an
    overloaded resource: planned and allocated units (``ALLOCATION_COLUMNS``)."""
    if lines.empty or capacity.empty:
        return pd.DataFrame(columns=ALLOCATION_COLUMNS)
    cap = capacity.set_index(["resource_id", "period_id"])
    over = set(cap.index[cap["is_overloaded"].astype(bool)])
    out = []
    for period, p in lines.groupby("period_id", sort=True):
        keys = set(zip(p["resource_id"], p["period_id"]))
        if not keys & over:
            continue
        on_over = p[[(r, period) in over for r in p["resource_id"]]]["master_sku"].unique()
        skus = sorted(on_over)
        index = {s: j for j, s in enumerate(skus)}
        free = p[p["master_sku"].isin(skus)]
        fixed = p[~p["master_sku"].isin(skus)]
        per_sku = free.drop_duplicates("master_sku").set_index("master_sku").loc[skus]
        resources = sorted(r for r in free["resource_id"].unique()
                           if (r, period) in cap.index and pd.notna(cap.loc[(r, period), "available_hours"]))
        hours = np.zeros((len(resources), len(skus)))
        available = np.zeros(len(resources))
        for i, r in enumerate(resources):
            rows = free[free["resource_id"] == r]
            for s, hpu in zip(rows["master_sku"], rows["hours_per_unit"]):
                hours[i, index[s]] += float(hpu)
            used = fixed[fixed["resource_id"] == r]
            available[i] = float(cap.loc[(r, period), "available_hours"]) - float(
                (used["hours_per_unit"] * used["plan_units"]).sum())
        plan = per_sku["plan_units"].to_numpy(dtype=float)
        margin = per_sku["unit_margin"].fillna(0.0).to_numpy(dtype=float)
        x = solve_period(plan, margin, hours, available)
        out.append(pd.DataFrame({"master_sku": skus, "period_id": period, "plan_units": plan,
                                 "unit_margin": margin, "allocated_units": x}))
    if not out:
        return pd.DataFrame(columns=ALLOCATION_COLUMNS)
    return pd.concat(out, ignore_index=True)[ALLOCATION_COLUMNS]
