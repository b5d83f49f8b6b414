"""Trade-off options for the constraints Week 2 surfaces: the capacity allocation by margin
and by customer priority, solved as small linear programmes with HiGHS (``highspy``).

For every planning period where a resource is overloaded, the SKUs that need an overloaded
resource in that period share the hours: choose units ``x_s`` (0 <= x_s <= planned units)
to maximise the margin ``sum_s margin_s * x_s`` subject to, for every resource ``r`` with
capacity data in the period, ``sum_s hours_rs * x_s <= available_r - fixed_r`` (``fixed_r``
= the hours of the SKUs on ``r`` that need no overloaded resource: they keep their plan).
The pro rata cut of ``fct_constrained_plan`` is one feasible point of this programme, so
the allocation never earns less margin than doing nothing.

Allocation by customer priority (:func:`allocate_by_priority`): the same hours, the same
fixed SKUs, but each SKU's plan is split into the customer priority tiers it serves
(``int_customer_priority_shares``: x_{s,k} <= planned units x tier share). The programme is
solved lexicographically: first the most units for tier 1 (key accounts), then, with tier 1
held at that, the most units for tier 2, and so on; last, with every tier held, the most
margin. So no hour goes to a lower tier while a higher tier of any SKU on the resource could
still use it. When every customer has the same priority there is one tier: the most units
served, then the most margin.

The dbt models ``int_capacity_allocation`` and ``int_capacity_allocation_by_priority`` are
thin wrappers over :func:`allocate_by_margin` and :func:`allocate_by_priority`.
"""

from __future__ import annotations

import highspy
import numpy as np
import pandas as pd

__all__ = ["ALLOCATION_COLUMNS", "PRIORITY_ALLOCATION_COLUMNS", "allocate_by_margin", "allocate_by_priority",
           "solve_period", "solve_period_by_priority"]

ALLOCATION_COLUMNS = ["master_sku", "period_id", "plan_units", "unit_margin", "allocated_units"]
PRIORITY_ALLOCATION_COLUMNS = ["master_sku", "period_id", "priority_tier", "plan_units", "unit_margin",
                               "allocated_units"]
# a tier held at its optimum may give up this much (relative) to keep the next stages feasible
STAGE_TOLERANCE = 1e-9


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


def _highs() -> highspy.Highs:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


def _run(h: highspy.Highs, what: str) -> float:
    h.run()
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"{what} LP not solved: {h.modelStatusToString(status)}")
    return float(h.getInfo().objective_function_value)


def solve_period_by_priority(plan_units: np.ndarray, unit_margin: np.ndarray, hours: np.ndarray,
                             available: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Serve the priority tiers in order: ``x[s, k]`` units of SKU ``s`` to tier ``k``
    (``shares`` is SKUs x tiers, tier 0 served first, rows summing to 1), with
    ``0 <= x[s, k] <= plan_units[s] * shares[s, k]`` and, per resource ``r``,
    ``sum_{s,k} hours[r, s] * x[s, k] <= available[r]``.

    Stage k maximises tier k's units with the tiers before it held at their optimum; a last
    stage maximises the margin with every tier held. Returns ``x`` (SKUs x tiers)."""
    n, tiers = shares.shape if shares.ndim == 2 else (len(plan_units), 0)
    if n == 0 or tiers == 0:
        return np.zeros((n, tiers))
    h = _highs()
    inf = highspy.kHighsInf
    upper = np.maximum(plan_units, 0.0)[:, None] * np.maximum(shares, 0.0)
    def col(s, k):
        return s * tiers + k
    for s in range(n):
        for k in range(tiers):
            h.addVar(0.0, float(upper[s, k]))
    for r in range(hours.shape[0]):
        skus = np.flatnonzero(hours[r] > 0)
        if len(skus) == 0:
            continue
        index = np.array([col(s, k) for s in skus for k in range(tiers)], dtype=np.int32)
        value = np.array([hours[r, s] for s in skus for k in range(tiers)], dtype=np.float64)
        h.addRow(-inf, float(max(available[r], 0.0)), len(index), index, value)
    every = np.arange(n * tiers, dtype=np.int32)
    for k in range(tiers):
        # HiGHS minimises: the cost is minus tier k's units
        h.changeColsCost(n * tiers, every, np.array([-1.0 if c % tiers == k else 0.0 for c in every]))
        served = -_run(h, "capacity allocation by priority")
        index = np.array([col(s, k) for s in range(n)], dtype=np.int32)
        h.addRow(served - STAGE_TOLERANCE * max(abs(served), 1.0), inf, n, index, np.ones(n))
    h.changeColsCost(n * tiers, every, np.array([-float(unit_margin[c // tiers]) for c in every]))
    _run(h, "capacity allocation by priority")
    x = np.asarray(h.getSolution().col_value, dtype=float).reshape(n, tiers)
    return np.clip(x, 0.0, upper)


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
        skus, per_sku, hours, available = _period_programme(p, cap, over, period)
        plan = per_sku["plan_units"].to_numpy(dtype=float)
        margin = per_sku["unit_margin"].fillna(0.0).to_numpy(dtype=float)
        x = solve_period(plan, margin, hours, available)
        out.append(pd.DataFrame({"master_sku": skus, "period_id": period, "plan_units": plan,
                                 "unit_margin": margin, "allocated_units": x}))
    if not out:
        return pd.DataFrame(columns=ALLOCATION_COLUMNS)
    return pd.concat(out, ignore_index=True)[ALLOCATION_COLUMNS]


def _period_programme(p: pd.DataFrame, cap: pd.DataFrame, over: set, period):
    """The SKUs of one period that need an overloaded resource, their hours on the resources
    with capacity data and the hours left there after the SKUs that keep their plan."""
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
    return skus, per_sku, hours, available


def allocate_by_priority(lines: pd.DataFrame, capacity: pd.DataFrame, tiers: pd.DataFrame) -> pd.DataFrame:
    """Allocate overloaded hours to the customers with the highest priority first, per period.

    ``lines`` and ``capacity`` as for :func:`allocate_by_margin`; ``tiers``: master_sku x
    priority_tier with ``tier_share`` (int_customer_priority_shares; a SKU without rows
    serves the last tier). Returns one row per SKU that needs an overloaded resource, period
    and tier it serves: planned and allocated units (``PRIORITY_ALLOCATION_COLUMNS``)."""
    if lines.empty or capacity.empty:
        return pd.DataFrame(columns=PRIORITY_ALLOCATION_COLUMNS)
    cap = capacity.set_index(["resource_id", "period_id"])
    over = set(cap.index[cap["is_overloaded"].astype(bool)])
    order = sorted(int(t) for t in tiers["priority_tier"].unique()) if not tiers.empty else [1]
    position = {t: k for k, t in enumerate(order)}
    out = []
    for period, p in lines.groupby("period_id", sort=True):
        if not set(zip(p["resource_id"], p["period_id"])) & over:
            continue
        skus, per_sku, hours, available = _period_programme(p, cap, over, period)
        shares = np.zeros((len(skus), len(order)))
        known = tiers[tiers["master_sku"].isin(skus)]
        index = {s: j for j, s in enumerate(skus)}
        for s, t, share in zip(known["master_sku"], known["priority_tier"], known["tier_share"]):
            shares[index[s], position[int(t)]] += float(share)
        shares[shares.sum(axis=1) == 0, -1] = 1.0
        shares = shares / shares.sum(axis=1, keepdims=True)
        plan = per_sku["plan_units"].to_numpy(dtype=float)
        margin = per_sku["unit_margin"].fillna(0.0).to_numpy(dtype=float)
        x = solve_period_by_priority(plan, margin, hours, available, shares)
        for j, s in enumerate(skus):
            for k, t in enumerate(order):
                if shares[j, k] > 0:
                    out.append((s, period, t, plan[j] * shares[j, k], margin[j], float(x[j, k])))
    if not out:
        return pd.DataFrame(columns=PRIORITY_ALLOCATION_COLUMNS)
    return pd.DataFrame(out, columns=PRIORITY_ALLOCATION_COLUMNS)
