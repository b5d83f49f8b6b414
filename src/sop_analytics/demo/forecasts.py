"""The three numbers: sales forecast (CRM, eaches), ops forecast (ERP, item uom), GL budget."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import FAMILIES, FORECAST_HORIZON_MONTHS, FORECAST_SUBMISSIONS, SALES_REPS
from .demand import FiscalDays
from .operations import month_index, month_starts
from .rng import stream

NOISE = 0.045  # forecasts = expected demand * U(1 - NOISE, 1 + NOISE)


def submission_months() -> list[int]:
    """Month indices (0 = 2023-01) of the monthly forecast submissions, 2025-10..2026-10."""
    first, last = (month_index(np.array([np.datetime64(m + "-01", "D").astype(np.int64)]))[0]
                   for m in FORECAST_SUBMISSIONS)
    return list(range(int(first), int(last) + 1))


def forecast_grid(n_skus: int) -> pd.DataFrame:
    """Every (submission month, target month, sku) with target = submission + 1..12."""
    subs = np.array(submission_months())
    sub, ahead, sku = np.meshgrid(subs, np.arange(1, FORECAST_HORIZON_MONTHS + 1), np.arange(n_skus), indexing="ij")
    return pd.DataFrame({"submission": sub.ravel(), "target": (sub + ahead).ravel(), "sku": sku.ravel()})


def submitted_at(submission: np.ndarray, clock: str) -> np.ndarray:
    """ISO timestamp of the 20th of each submission month at ``clock`` (HH:MM:SS)."""
    first = month_starts()[submission].astype("datetime64[D]") + np.timedelta64(19, "D")
    return np.char.add(np.datetime_as_string(first), "T" + clock)


def build_sales_forecast(items: pd.DataFrame, monthly: np.ndarray, seed: int) -> pd.DataFrame:
    """Sales forecast per CRM code: expected eaches of the target month * U(0.955, 1.045), whole
    eaches from 100 up, one decimal below (slow movers); zero rows omitted; one rep per product."""
    rng = stream(seed, "sales_forecast")
    grid = forecast_grid(len(items))
    raw = monthly[grid["sku"], grid["target"]] * rng.uniform(1 - NOISE, 1 + NOISE, size=len(grid))
    qty = np.where(raw >= 100, np.round(raw), np.round(raw, 1))
    reps = np.array(SALES_REPS)[rng.integers(len(SALES_REPS), size=len(items))]
    frame = pd.DataFrame({
        "crm_product_code": items["crm_product_code"].to_numpy()[grid["sku"]],
        "period_start": month_starts()[grid["target"]],
        "quantity": qty,
        "submitted_at": submitted_at(grid["submission"].to_numpy(), "09:00:00"),
        "submitted_by": reps[grid["sku"]],
        "sku": grid["sku"].to_numpy(),
        "submission": grid["submission"].to_numpy(),
        "target": grid["target"].to_numpy(),
    })
    return frame[frame["quantity"] > 0].reset_index(drop=True)


def build_ops_forecast(items: pd.DataFrame, monthly: np.ndarray, seed: int) -> pd.DataFrame:
    """Ops forecast per ERP item in item uom: expected eaches * U(0.955, 1.045) / units_per_uom,
    one decimal; zero rows omitted."""
    rng = stream(seed, "ops_forecast")
    grid = forecast_grid(len(items))
    eaches = monthly[grid["sku"], grid["target"]] * rng.uniform(1 - NOISE, 1 + NOISE, size=len(grid))
    frame = pd.DataFrame({
        "erp_item": items["erp_item"].to_numpy()[grid["sku"]],
        "period_start": month_starts()[grid["target"]],
        "quantity": np.round(eaches / items["upu"].to_numpy()[grid["sku"]], 1),
        "submitted_at": submitted_at(grid["submission"].to_numpy(), "14:00:00"),
        "sku": grid["sku"].to_numpy(),
    })
    return frame[frame["quantity"] > 0].reset_index(drop=True)


def build_budget(items: pd.DataFrame, expected: np.ndarray, weeks: np.ndarray, fiscal: FiscalDays,
                 price_factor: np.ndarray, seed: int) -> pd.DataFrame:
    """Budget per fiscal year x period x product line for FY2023..FY2027 (positive amounts).

    revenue = sum(expected eaches * list price) * family price realization * U(0.99, 1.01);
    cogs = sum(expected eaches * std cost) * the same noise; both rounded to whole dollars.
    ``price_factor[f]`` is family f's average unit price / list price.
    """
    rng = stream(seed, "budget")
    fam = items["fam_idx"].to_numpy()
    keys = fiscal.key_of(weeks)
    list_value = pd.DataFrame(expected * items["list_cents"].to_numpy()[:, None]).groupby(fam).sum()
    cost_value = pd.DataFrame(expected * items["cost_cents"].to_numpy()[:, None]).groupby(fam).sum()
    rows = []
    for f, spec in enumerate(FAMILIES):
        rev = pd.Series(list_value.loc[f].to_numpy(), index=keys).groupby(level=0).sum()
        cost = pd.Series(cost_value.loc[f].to_numpy(), index=keys).groupby(level=0).sum()
        noise = rng.uniform(0.99, 1.01, size=len(rev))
        rows.append(pd.DataFrame({
            "fiscal_year": rev.index // 100, "fiscal_period": rev.index % 100, "product_line": spec.product_line,
            "revenue": np.round(rev.to_numpy() * price_factor[f] * noise / 100.0),
            "cogs": np.round(cost.to_numpy() * noise / 100.0),
        }))
    return pd.concat(rows, ignore_index=True)

