"""The three numbers: sales forecast (CRM, eaches), ops forecast (ERP, item uom), GL budget.

Sales and operations forecast from what they know on the day they submit: the demand
history up to the last closed month, their family's seasonal shape and growth from that
history, and what is planned (promotions, launches, discontinuations). They never see the
expected demand the generator draws the future from, so the statistical baseline competes
with them on equal information (issue 14). The one thing sales knows that the history does
not show is the planted level shift (a contract win, :func:`plants.plant_level_shift`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .config import FAMILIES, FORECAST_HORIZON_MONTHS, FORECAST_SUBMISSIONS, SALES_REPS
from .demand import FiscalDays
from .operations import N_MONTHS, month_index, month_starts
from .rng import stream

NOISE = 0.045  # forecasts = the planner's expectation * U(1 - NOISE, 1 + NOISE)
LEVEL_MONTHS = 12  # the SKU's level: its mean de-promoted demand over the last 12 closed months


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


def demand_by_month(orders: pd.DataFrame, n_skus: int) -> np.ndarray:
    """Ordered eaches per SKU x calendar month of the requested date, cancelled lines left
    out: the demand history the planners have."""
    live = orders[orders["status"] != "cancelled"]
    month = month_index(live["req_day"].to_numpy())
    keep = (month >= 0) & (month < N_MONTHS)
    out = np.zeros((n_skus, N_MONTHS))
    np.add.at(out, (live["sku"].to_numpy()[keep], month[keep]), live["quantity"].to_numpy()[keep].astype(float))
    return out


def family_profile(by_family: np.ndarray, sub: int) -> tuple[np.ndarray, np.ndarray]:
    """Per family, from the 24 closed months before submission month ``sub``: the seasonal
    index of each of the last 12 months (its share of its year over the mean share, the two
    years averaged) and the growth of the last year over the year before.

    The index is shrunk toward 1 by its reliability (1 - the noise the two years'
    disagreement shows over the index's spread): a season that repeats is used, one that
    does not fades to none, as a planner would not read a season into lumpy demand. Growth
    is used only where it is clear (the mean of the twelve month-on-same-
    month-last-year log ratios is beyond two standard errors; clipped to 0.8..1.25);
    elsewhere it is 1."""
    before, last = by_family[:, sub - 24:sub - 12], by_family[:, sub - 12:sub]
    totals_before, totals_last = before.sum(axis=1), last.sum(axis=1)
    safe = (totals_before > 0) & (totals_last > 0)
    share_before = np.divide(before * 12, totals_before[:, None], out=np.ones_like(before), where=safe[:, None])
    share_last = np.divide(last * 12, totals_last[:, None], out=np.ones_like(last), where=safe[:, None])
    index = np.ones_like(last)
    growth = np.ones(len(last))
    with np.errstate(divide="ignore", invalid="ignore"):
        yearly = np.log(last / before)  # each month against the same month a year before
    for f in np.flatnonzero(safe):
        mean = (share_before[f] + share_last[f]) / 2
        # the two years' disagreement measures the noise in their mean: var(diff) / 4
        noise = np.var(share_before[f] - share_last[f]) / 4
        spread = np.var(mean)
        reliability = max(0.0, 1.0 - noise / spread) if spread > 0 else 0.0
        index[f] = 1.0 + reliability * (mean - 1.0)
        ratios = yearly[f][np.isfinite(yearly[f])]
        if len(ratios) >= 6 and ratios.std(ddof=1) > 0 \
                and abs(ratios.mean()) > 2 * ratios.std(ddof=1) / np.sqrt(len(ratios)):
            growth[f] = np.clip(totals_last[f] / totals_before[f], 0.8, 1.25)
    return index, growth


def planners_expectation(items: pd.DataFrame, history: np.ndarray, promo_factor: np.ndarray,
                         lifecycle: np.ndarray, grid: pd.DataFrame) -> np.ndarray:
    """Expected eaches per grid row as a planner sets it on the submission day, from closed
    months only (the submission month itself is still open).

    - level: the SKU's de-promoted demand over the ``LEVEL_MONTHS`` months before the
      submission month, per month of full activity (``lifecycle`` is the SKU's lifecycle
      factor per month: launches ramp up, discontinued SKUs fade). A SKU with under one
      month of activity there gets its family's median level (a launch sized like a typical
      SKU of its family).
    - the family's seasonal index and yearly growth (:func:`family_profile`, from its SKUs
      with no launch or discontinuation); the level is centred 6.5 months before the
      submission, so growth ** (6.5 / 12) brings it to the present; it is not extrapolated
      into the horizon (a planner carries the current level forward).
    - expectation = level * index * growth term * the target month's promotion factor and
      lifecycle factor: promotions, launches and discontinuations are planned, so known.

    ``promo_factor`` is expected demand with promotions over expected demand without them.
    """
    base = history / promo_factor
    family = items["fam_idx"].to_numpy()
    steady = ((items["launch_day"] < 0) & (items["eol_zero_day"] < 0)).to_numpy()
    by_family = (pd.DataFrame(base[steady]).groupby(family[steady]).sum()
                 .reindex(range(len(FAMILIES)), fill_value=0.0).to_numpy())
    sub, target, sku = (grid[c].to_numpy() for c in ("submission", "target", "sku"))

    def last_months(values: np.ndarray) -> np.ndarray:
        """Sum of ``values[sku, sub - LEVEL_MONTHS:sub]`` per grid row."""
        cumulative = np.concatenate([np.zeros((len(values), 1)), np.cumsum(values, axis=1)], axis=1)
        return cumulative[sku, sub] - cumulative[sku, sub - LEVEL_MONTHS]

    activity, total = last_months(lifecycle), last_months(base)
    level = np.divide(total, activity, out=np.zeros(len(grid)), where=activity >= 1.0)
    known = pd.DataFrame({"family": family[sku], "sub": sub, "level": level})[activity >= 1.0]
    typical = known.groupby(["family", "sub"])["level"].median()
    fallback = typical.reindex(pd.MultiIndex.from_arrays([family[sku], sub])).fillna(0.0).to_numpy()
    level = np.where(activity >= 1.0, level, fallback)
    season = np.ones(len(grid))
    trend = np.ones(len(grid))
    for month in np.unique(sub):
        rows = sub == month
        index, growth = family_profile(by_family, int(month))
        fam, ahead = family[sku[rows]], target[rows] - month
        season[rows] = index[fam, ahead % 12]  # the same calendar month in the last closed year
        trend[rows] = growth[fam] ** (6.5 / 12)  # to the present only: a planner does not extrapolate
    return level * season * trend * promo_factor[sku, target] * lifecycle[sku, target]


def build_sales_forecast(items: pd.DataFrame, expectation: np.ndarray, seed: int) -> pd.DataFrame:
    """Sales forecast per CRM code: the planner's expectation (grid order, see
    :func:`planners_expectation`) * U(0.955, 1.045), whole eaches from 100 up, one decimal
    below (slow movers); zero rows omitted; one rep per product."""
    rng = stream(seed, "sales_forecast")
    grid = forecast_grid(len(items))
    raw = expectation * rng.uniform(1 - NOISE, 1 + NOISE, size=len(grid))
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


def build_ops_forecast(items: pd.DataFrame, expectation: np.ndarray, seed: int) -> pd.DataFrame:
    """Ops forecast per ERP item in item uom: the planner's expectation * U(0.955, 1.045) /
    units_per_uom, one decimal; zero rows omitted."""
    rng = stream(seed, "ops_forecast")
    grid = forecast_grid(len(items))
    eaches = expectation * rng.uniform(1 - NOISE, 1 + NOISE, size=len(grid))
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

