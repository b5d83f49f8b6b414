"""Expected demand, promotions and the realized CRM order lines of the demo company.

Time grid: weeks start on Sunday 2023-01-01 (= fiscal week 1 of FY2023), so every week
lies inside one fiscal period. ``expected[s, w]`` is the expected demand of SKU ``s`` in
week ``w`` in eaches; the realized order lines are drawn around it and then scaled per
family x fiscal period so that realized list value tracks the expected list value (the
budget) to within about a percent, while single SKUs keep their own pattern
(smooth, seasonal, promo-driven, intermittent, lumpy, erratic).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..calendar import fiscal_calendar
from .company import day
from .config import (
    CALENDAR_END,
    CALENDAR_START,
    CANCEL_RATE,
    FAMILIES,
    HISTORY_END,
    HISTORY_START,
    HORIZON_END,
    PROMO_DISCOUNTS,
    SEGMENT_AFFINITY,
    SEGMENT_PRICE_FACTOR,
    SEGMENTS,
)
from .rng import stochastic_round, stream

POST_PROMO_DIP = 0.7
POST_PROMO_WEEKS = 2
TREND_ANCHOR = "2024-12-01"


@dataclass(frozen=True)
class FiscalDays:
    """Fiscal calendar as arrays indexed by ``day - start_day``."""

    start_day: int
    year: np.ndarray
    period: np.ndarray

    def year_of(self, days: np.ndarray) -> np.ndarray:
        """Fiscal year of each day number."""
        return self.year[np.asarray(days) - self.start_day]

    def period_of(self, days: np.ndarray) -> np.ndarray:
        """Fiscal period (1..12) of each day number."""
        return self.period[np.asarray(days) - self.start_day]

    def key_of(self, days: np.ndarray) -> np.ndarray:
        """Sortable period key fiscal_year*100 + fiscal_period of each day number."""
        return self.year_of(days) * 100 + self.period_of(days)

    def period_bounds(self, key: int) -> tuple[int, int]:
        """First and last day number of the fiscal period with key ``YYYY*100+PP``."""
        keys = self.year * 100 + self.period
        idx = np.flatnonzero(keys == key)
        return int(idx[0]) + self.start_day, int(idx[-1]) + self.start_day


def fiscal_days() -> FiscalDays:
    """The company's fiscal calendar (2022-01-02..2028-12-30) as day-indexed arrays."""
    cal = fiscal_calendar(CALENDAR_START, CALENDAR_END)
    return FiscalDays(day(CALENDAR_START), cal["fiscal_year"].to_numpy(), cal["fiscal_period"].to_numpy())


def week_start_days() -> np.ndarray:
    """Day numbers of the Sundays starting each week from 2023-01-01 to the end of FY2027."""
    first, last = day(HISTORY_START), day(HORIZON_END)
    return np.arange(first, last + 1 - 6, 7)


def realized_weeks(weeks: np.ndarray) -> np.ndarray:
    """Indices of weeks with order lines: history plus two weeks of open orders (to 2026-11-14)."""
    return np.flatnonzero(weeks <= day(HISTORY_END) + 8)


def season_factor(weeks: np.ndarray, amp: float, peak_month: int) -> np.ndarray:
    """1 + amp * cos(2 pi (m - peak_month - 0.5) / 12) at the week's Wednesday, where m is the
    fractional calendar month (1.0 = 1 January)."""
    mid = pd.to_datetime(weeks + 3, unit="D")
    month = mid.month.to_numpy() + (mid.day.to_numpy() - 1) / mid.days_in_month.to_numpy()
    return 1.0 + amp * np.cos(2 * np.pi * (month - peak_month - 0.5) / 12.0)


def lifecycle_factor(items: pd.DataFrame, weeks: np.ndarray) -> np.ndarray:
    """Lifecycle multiplier (SKU x week): ``new`` SKUs are 0 before launch and ramp from 0.3 to 1
    over 12 weeks; ``eol`` SKUs fade linearly to 0 over ``eol_weeks`` up to ``eol_zero_day``."""
    launch = items["launch_day"].to_numpy()[:, None]
    eol_zero = items["eol_zero_day"].to_numpy()[:, None]
    fade = np.maximum(items["eol_weeks"].to_numpy()[:, None] * 7, 1)
    w = weeks[None, :]
    ramp = np.where(launch < 0, 1.0, np.where(w < launch, 0.0, np.minimum(1.0, 0.3 + 0.7 * (w - launch) / 84.0)))
    fading = np.where(eol_zero < 0, 1.0, np.clip((eol_zero - w) / fade, 0.0, 1.0))
    return ramp * fading


def baseline_expected(items: pd.DataFrame, weeks: np.ndarray) -> np.ndarray:
    """Expected weekly eaches without promotions: base * season * (1+trend)^years * lifecycle."""
    years = (weeks + 3 - day(TREND_ANCHOR)) / 365.25
    rows = []
    for fam_idx, base in zip(items["fam_idx"], items["base_weekly"]):
        spec = FAMILIES[fam_idx]
        rows.append(base * season_factor(weeks, spec.season_amp, spec.season_peak_month)
                    * (1.0 + spec.trend_per_year) ** years)
    return np.vstack(rows) * lifecycle_factor(items, weeks)


def build_promotions(items: pd.DataFrame, baseline: np.ndarray, weeks: np.ndarray, seed: int) -> pd.DataFrame:
    """Promotions of COLD_CHAIN SKUs: about 1.5 a year per SKU, 2-4 weeks (Sunday..Saturday),
    discount 10/15/20/25%, demand uplift 1.5-2.5x; none where the SKU has no demand.

    Columns: promo_id, sku, crm_product_code, start_week, n_weeks, start_date/end_date (day
    numbers), discount_pct, uplift.
    """
    rng = stream(seed, "promotions")
    rows = []
    last_week = len(weeks) - 8
    for sku in items.index[items["family"] == "COLD_CHAIN"]:
        w = int(rng.integers(4, 30))
        while w < last_week:
            n_weeks = int(rng.integers(2, 5))
            discount = PROMO_DISCOUNTS[int(rng.integers(len(PROMO_DISCOUNTS)))]
            uplift = round(float(rng.uniform(1.5, 2.5)), 2)
            if baseline[sku, w] > 0 and baseline[sku, min(w + n_weeks, len(weeks) - 1)] > 0:
                rows.append({"sku": int(sku), "crm_product_code": items.at[sku, "crm_product_code"],
                             "start_week": w, "n_weeks": n_weeks, "start_date": int(weeks[w]),
                             "end_date": int(weeks[w] + 7 * n_weeks - 1), "discount_pct": discount,
                             "uplift": uplift})
            w += n_weeks + int(rng.integers(22, 41))
    promos = pd.DataFrame(rows).sort_values(["start_date", "crm_product_code"], ignore_index=True)
    promos["promo_id"] = [f"PR-{i + 1:04d}" for i in range(len(promos))]
    return promos


def apply_promotions(baseline: np.ndarray, promos: pd.DataFrame) -> np.ndarray:
    """Expected weekly eaches with promotions: x uplift in promo weeks, x 0.7 for the two weeks after."""
    expected = baseline.copy()
    for promo in promos.itertuples():
        w0, w1 = promo.start_week, promo.start_week + promo.n_weeks
        expected[promo.sku, w0:w1] *= promo.uplift
        expected[promo.sku, w1:w1 + POST_PROMO_WEEKS] *= POST_PROMO_DIP
    return expected


def line_counts(items: pd.DataFrame, expected: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Number of order lines per SKU-week and the mean line size (eaches) per SKU.

    poisson: lines ~ Poisson(lambda_s * m), lambda_s = rate * sqrt(weight / family mean weight);
    intermittent/lumpy: one line with probability min(0.95, rate * m); m = expected / base.
    The weekly probability is at least 8 / (4.33 * SKUs in the family), so that a family
    sees about 8 orders per fiscal period even at small sizes (where it then looks erratic
    rather than lumpy) and its revenue can track the budget.
    """
    base = items["base_weekly"].to_numpy()
    fam_mean_weight = items.groupby("fam_idx")["weight"].transform("mean").to_numpy()
    rate = np.array([FAMILIES[i].rate for i in items["fam_idx"]])
    poisson = np.array([FAMILIES[i].pattern == "poisson" for i in items["fam_idx"]])
    family_size = items.groupby("fam_idx")["fam_idx"].transform("size").to_numpy()
    floor = np.minimum(0.9, 8.0 / (4.33 * family_size))
    lam = np.where(poisson, np.clip(rate * np.sqrt(items["weight"].to_numpy() / fam_mean_weight), 0.3, 12.0),
                   np.maximum(rate, floor))
    multiplier = expected / base[:, None]
    counts = np.where(poisson[:, None], rng.poisson(lam[:, None] * multiplier),
                      rng.random(expected.shape) < np.minimum(0.95, lam[:, None] * multiplier))
    return counts.astype(np.int64), base / lam


def line_sizes(pattern: np.ndarray, mean: np.ndarray, cv: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Line sizes in eaches: gamma (poisson families), normal with low CV floored at 30% of the
    mean (intermittent), lognormal (lumpy); each with the given mean and CV."""
    gamma = rng.gamma(1.0 / cv**2, mean * cv**2)
    normal = mean * np.maximum(0.3, rng.normal(1.0, cv))
    sigma2 = np.log1p(cv**2)
    lognormal = rng.lognormal(np.log(mean) - sigma2 / 2, np.sqrt(sigma2))
    return np.where(pattern == "intermittent", normal, np.where(pattern == "lumpy", lognormal, gamma))


def draw_lines(items: pd.DataFrame, customers: pd.DataFrame, expected: np.ndarray, weeks: np.ndarray,
               seed: int) -> pd.DataFrame:
    """Raw order lines (sku, week, cust, req_day, size in eaches) before order grouping.

    Customer ~ weight * segment affinity of the family; requested day = one of the customer's
    delivery weekdays in that week (never before 2023-01-03). Lines of one customer, day and
    SKU are merged.
    """
    rng = stream(seed, "order_lines")
    live = realized_weeks(weeks)
    counts, mean_size = line_counts(items, expected[:, live], rng)
    sku_idx, week_pos = np.nonzero(counts)
    reps = counts[sku_idx, week_pos]
    sku = np.repeat(sku_idx, reps)
    week = live[np.repeat(week_pos, reps)]
    fam = items["fam_idx"].to_numpy()[sku]
    pattern = np.array([FAMILIES[i].pattern for i in range(len(FAMILIES))])[fam]
    cv = np.array([FAMILIES[i].size_cv for i in range(len(FAMILIES))])[fam]
    size = line_sizes(pattern, mean_size[sku], cv, rng)
    cust = np.empty(len(sku), dtype=np.int64)
    seg_idx = customers["segment"].map({s: i for i, s in enumerate(SEGMENTS)}).to_numpy()
    for f, spec in enumerate(FAMILIES):
        mask = fam == f
        p = customers["weight"].to_numpy() * np.array(SEGMENT_AFFINITY[spec.name])[seg_idx]
        cust[mask] = rng.choice(len(customers), size=int(mask.sum()), p=p / p.sum())
    days = np.array([list(d) + [d[0]] * (3 - len(d)) for d in customers["delivery_days"]])
    n_days = customers["delivery_days"].map(len).to_numpy()
    pick = (rng.random(len(sku)) * n_days[cust]).astype(np.int64)
    req_day = np.maximum(weeks[week] + days[cust, pick], day(HISTORY_START) + 2)
    raw = pd.DataFrame({"sku": sku, "week": week, "cust": cust, "req_day": req_day, "size": size})
    return raw.groupby(["cust", "req_day", "sku"], as_index=False).agg(week=("week", "first"), size=("size", "sum"))


def expected_value_by_family_period(items: pd.DataFrame, expected: np.ndarray, weeks: np.ndarray,
                                    fiscal: FiscalDays) -> pd.DataFrame:
    """Expected list value in cents per family x fiscal period: sum of expected eaches * list."""
    value = expected * items["list_cents"].to_numpy()[:, None]
    by_family = pd.DataFrame(value).groupby(items["fam_idx"].to_numpy()).sum()
    frame = by_family.T.assign(period_key=fiscal.key_of(weeks)).groupby("period_key").sum().T
    frame.index.name = "fam_idx"
    return frame.stack().rename("expected_list_cents").reset_index()


def round_to_value(quantities: np.ndarray, weights: np.ndarray, target: float, rng: np.random.Generator) -> np.ndarray:
    """Round positive quantities to integers >= 1 so that sum(q * w) lands as close as possible to
    ``target``: floor everything, then add one unit to the k lines with the largest fractional
    parts (random tie-break), k chosen to minimize |target - sum(q * w)|."""
    floor = np.maximum(1, np.floor(quantities)).astype(np.int64)
    fraction = np.where(quantities >= 1, quantities - np.floor(quantities), -1.0)
    order = np.lexsort([rng.random(len(quantities)), -fraction])
    order = order[fraction[order] > 0]
    need = target - float((floor * weights).sum())
    steps = np.concatenate([[0.0], np.cumsum(weights[order])])
    k = int(np.argmin(np.abs(need - steps)))
    floor[order[:k]] += 1
    return floor


def scale_to_expected(orders: pd.DataFrame, items: pd.DataFrame, target: pd.DataFrame, price_factor: np.ndarray,
                      fiscal: FiscalDays, seed: int) -> pd.DataFrame:
    """Scale line quantities per family x closed fiscal period so that the revenue of the lines
    that are not cancelled equals the expected revenue T = expected list value * the family's
    price realization (up to rounding to whole units). Open orders are not scaled.

    r = clip(T / V, 0.1, 10); q' = round_to_value(q * r, target T). No residual is carried to the
    next period: that would double the rounding error of a period with few, expensive units.
    """
    rng = stream(seed, "scaling")
    out = orders.copy()
    weight = (items["upu"].to_numpy()[out["sku"]] * out["unit_price_cents"].to_numpy()).astype(float)
    out["period_key"] = fiscal.key_of(out["req_day"].to_numpy())
    last_key = int(fiscal.key_of(np.array([day(HISTORY_END)]))[0])
    targets = target.set_index(["fam_idx", "period_key"])["expected_list_cents"]
    quantities = out["q_uom"].to_numpy().copy()
    live = (out["status"] != "cancelled").to_numpy()
    closed = out[out["period_key"] <= last_key]
    for (fam_idx, key), idx in closed.groupby(["fam_idx", "period_key"]).groups.items():
        pos = out.index.get_indexer(idx)
        wanted = float(targets.get((fam_idx, key), 0.0)) * price_factor[fam_idx]
        have = float((quantities[pos] * weight[pos] * live[pos]).sum())
        if have > 0:
            scaled = quantities[pos] * float(np.clip(wanted / have, 0.1, 10.0))
            kept = live[pos]
            quantities[pos[~kept]] = np.maximum(1, stochastic_round(scaled[~kept], rng))
            quantities[pos[kept]] = round_to_value(scaled[kept], weight[pos[kept]], wanted, rng)
            excess = float((quantities[pos] * weight[pos] * live[pos]).sum()) - wanted
            live[cancel_excess(pos[kept], quantities, weight, excess, rng)] = False
    out["q_uom"] = quantities
    out["status"] = np.where(live | (out["status"] == "cancelled"), out["status"], "cancelled")
    return out.drop(columns=["period_key"])


def cancel_excess(pos: np.ndarray, quantities: np.ndarray, weight: np.ndarray, excess: float,
                  rng: np.random.Generator) -> np.ndarray:
    """Positions of single-unit lines to cancel when even one unit per line overshoots the target:
    largest first (random tie-break), each only if cancelling it brings the value closer."""
    single = pos[quantities[pos] == 1]
    single = single[np.lexsort([rng.random(len(single)), -weight[single]])]
    cancelled = []
    for p in single:
        if abs(excess - weight[p]) < abs(excess):
            cancelled.append(p)
            excess -= weight[p]
    return np.array(cancelled, dtype=np.int64)


def price_realization(orders: pd.DataFrame, items: pd.DataFrame) -> np.ndarray:
    """Average unit price / list price per family over lines that are not cancelled."""
    live = orders[orders["status"] != "cancelled"]
    eaches = live["q_uom"] * items["upu"].to_numpy()[live["sku"]]
    revenue = (eaches * live["unit_price_cents"]).groupby(live["fam_idx"]).sum()
    listed = (eaches * items["list_cents"].to_numpy()[live["sku"]]).groupby(live["fam_idx"]).sum()
    return (revenue / listed).reindex(range(len(FAMILIES))).fillna(1.0).to_numpy()


def order_lags(orders: pd.DataFrame, customers: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Days from order to requested date per order: customer's typical lag + U{-2..3}, within
    2..14, never before 2023-01-01 and, for orders holding a promo-window line, not before
    the promo start when possible (so the order carries the promotion)."""
    lag = np.clip(customers["base_lag"].to_numpy()[orders["cust"]] + rng.integers(-2, 4, size=len(orders)), 2, 14)
    lag = np.minimum(lag, orders["req_day"].to_numpy() - day(HISTORY_START))
    return np.minimum(lag, orders["promo_lag_cap"].to_numpy())


def promo_lookup(promos: pd.DataFrame, n_skus: int) -> tuple[np.ndarray, int]:
    """Dense array [sku, day - first_day] -> promo row index (or -1) and its first day."""
    first = day(HISTORY_START) - 30
    last = int(promos["end_date"].max()) if len(promos) else first
    table = np.full((n_skus, last - first + 1), -1, dtype=np.int64)
    for i, promo in enumerate(promos.itertuples()):
        table[promo.sku, promo.start_date - first:promo.end_date - first + 1] = i
    return table, first


def promo_at(table: np.ndarray, first: int, sku: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Promo row index active for each (sku, day), -1 when none."""
    offset = days - first
    inside = (offset >= 0) & (offset < table.shape[1])
    found = np.full(len(sku), -1, dtype=np.int64)
    found[inside] = table[sku[inside], offset[inside]]
    return found


def build_orders(lines: pd.DataFrame, items: pd.DataFrame, customers: pd.DataFrame, promos: pd.DataFrame,
                 seed: int) -> pd.DataFrame:
    """CRM order lines: group by customer x requested day into orders, draw order dates, tag
    promotions, price, set status, number orders and lines.

    unit price (cents) = list * (100 - discount) / 100 on promo lines, else list * segment
    factor / 100; both are whole cents because list prices are multiples of 20 cents and
    factors multiples of 5%.
    """
    rng = stream(seed, "orders")
    out = lines.copy()
    table, first = promo_lookup(promos, len(items))
    sku, req = out["sku"].to_numpy(), out["req_day"].to_numpy()
    promo_req = promo_at(table, first, sku, req)
    start = np.where(promo_req >= 0, promos["start_date"].to_numpy()[np.maximum(promo_req, 0)], req - 100)
    out["promo_lag_cap"] = np.maximum(2, req - start)
    orders = out.groupby(["cust", "req_day"], as_index=False).agg(promo_lag_cap=("promo_lag_cap", "min"))
    orders["order_day"] = orders["req_day"] - order_lags(orders, customers, rng)
    orders = orders[orders["order_day"] <= day(HISTORY_END)]
    orders = orders.merge(customers[["cust", "customer_id"]], on="cust")
    orders = orders.sort_values(["order_day", "customer_id", "req_day"], ignore_index=True)
    orders["order_id"] = [f"SO-{i + 1:06d}" for i in range(len(orders))]
    out = out.drop(columns=["promo_lag_cap"]).merge(orders[["cust", "req_day", "order_day", "order_id", "customer_id"]],
                                                     on=["cust", "req_day"])
    promo_row = promo_at(table, first, out["sku"].to_numpy(), out["order_day"].to_numpy())
    out["promo_id"] = np.where(promo_row >= 0, promos["promo_id"].to_numpy()[np.maximum(promo_row, 0)], "")
    discount = np.where(promo_row >= 0, promos["discount_pct"].to_numpy()[np.maximum(promo_row, 0)], 0)
    seg_factor = customers["segment"].map(SEGMENT_PRICE_FACTOR).to_numpy()[out["cust"]]
    list_cents = items["list_cents"].to_numpy()[out["sku"]]
    out["unit_price_cents"] = np.where(promo_row >= 0, list_cents * (100 - discount), list_cents * seg_factor) // 100
    out["status"] = np.where(out["cancelled"], "cancelled",
                             np.where(out["req_day"] > day(HISTORY_END), "open", "shipped"))
    out["fam_idx"] = items["fam_idx"].to_numpy()[out["sku"]]
    out["erp_item"] = items["erp_item"].to_numpy()[out["sku"]]
    out["crm_product_code"] = items["crm_product_code"].to_numpy()[out["sku"]]
    out = out.sort_values(["order_id", "erp_item"], ignore_index=True)
    out["line_no"] = out.groupby("order_id").cumcount() + 1
    out["warehouse"] = customers["warehouse"].to_numpy()[out["cust"]]
    return out


def assign_shipments(orders: pd.DataFrame) -> pd.DataFrame:
    """One shipment per order for its shipped lines: ship_day = requested day, shipment ids in
    (ship day, order id) order, shipment line numbers in order-line order."""
    out = orders.copy()
    shipped = out["status"] == "shipped"
    out["ship_day"] = np.where(shipped, out["req_day"], -1)
    heads = out[shipped].drop_duplicates("order_id").sort_values(["ship_day", "order_id"])
    ids = pd.Series([f"SH-{i + 1:06d}" for i in range(len(heads))], index=heads["order_id"].to_numpy())
    out["shipment_id"] = np.where(shipped, out["order_id"].map(ids).fillna(""), "")
    out["shipment_line_no"] = 0
    out.loc[shipped, "shipment_line_no"] = out[shipped].groupby("order_id").cumcount() + 1
    return out


def realize_orders(items: pd.DataFrame, customers: pd.DataFrame, expected: np.ndarray, weeks: np.ndarray,
                   promos: pd.DataFrame, fiscal: FiscalDays, seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    """Clean CRM order lines with their shipments, and the family price realization.

    Draw lines, round to item uom, cancel ~2%, build priced orders, then scale quantities so
    that revenue per family x closed fiscal period equals expected list value * price
    realization (the budget basis; single-unit lines that still overshoot are cancelled),
    and assign shipments. quantity (eaches) = q_uom * units_per_uom.
    """
    rng = stream(seed, "rounding")
    lines = draw_lines(items, customers, expected, weeks, seed)
    upu = items["upu"].to_numpy()[lines["sku"]]
    lines["q_uom"] = np.maximum(1, stochastic_round(lines["size"].to_numpy() / upu, rng))
    lines["cancelled"] = rng.random(len(lines)) < CANCEL_RATE
    orders = build_orders(lines, items, customers, promos, seed)
    price_factor = price_realization(orders[orders["req_day"] <= day(HISTORY_END)], items)
    live = realized_weeks(weeks)
    target = expected_value_by_family_period(items, expected[:, live], weeks[live], fiscal)
    orders = scale_to_expected(orders, items, target, price_factor, fiscal, seed)
    orders["quantity"] = orders["q_uom"] * items["upu"].to_numpy()[orders["sku"]]
    return assign_shipments(orders), price_factor
