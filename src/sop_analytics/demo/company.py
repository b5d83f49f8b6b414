"""Master data of the demo company: customers, items (with CRM codes) and the crosswalk.

Dates inside the generator are integer day numbers (days since 1970-01-01, see ``day``).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .codes import crm_spelling, normalize_code
from .config import (
    ANNUAL_REVENUE_USD,
    COUNTRIES,
    DELAYED_SUPPLIER,
    DELAYED_SUPPLIER_FAMILY,
    FAMILIES,
    REGION_SHARE,
    REGIONS,
    SEGMENT_SHARE,
    SEGMENTS,
    SUPPLIERS_BY_FAMILY,
    WAREHOUSE_BY_REGION,
)
from .rng import stream

EPOCH = date(1970, 1, 1)
WEEKS_PER_YEAR = 52.1775
EXPECTED_PRICE_FACTOR = 0.95  # average unit price / list price, used to size base demand
CS_PATTERN = (12, 10, 12, 50, 1)  # units_per_uom of CONSUMABLES by position (1 = EA)
VARIANTS = ("S", "M", "L", "XL", "Std", "Pro", "Plus", "Mini", "10 pk", "25 pk", "Sterile", "HD")
CITY_WORDS = ("Riverside", "Lakeview", "Northgate", "Harbor", "Summit", "Oakwood", "Westfield",
              "Brookline", "Fairview", "Kingsbridge", "Maple", "Cedar", "Highland", "Eastwood",
              "Silverlake", "Greenfield", "Bayshore", "Stonebridge", "Ashford", "Pinecrest")
NAME_WORDS = ("Aurora", "Meridian", "Vertex", "Nova", "Atlas", "Helix", "Orion", "Pioneer",
              "Sterling", "Unity", "Crescent", "Beacon", "Keystone", "Liberty", "Zenith")
SEGMENT_NAME_FORMS = {
    "hospital": ("{city} General Hospital", "St. {name} Hospital", "{city} University Medical Center"),
    "clinic": ("{city} Family Clinic", "{name} Medical Group", "{city} Outpatient Center"),
    "distributor": ("{name} Medical Supply", "{name} Healthcare Distribution", "{city} Surgical Supply"),
    "lab": ("{city} Diagnostics Lab", "{name} Reference Laboratory", "{city} Pathology Services"),
}


def day(value: date | str) -> int:
    """Day number (days since 1970-01-01) of a date or ``YYYY-MM-DD`` string."""
    as_date = date.fromisoformat(value) if isinstance(value, str) else value
    return (as_date - EPOCH).days


def allocate_counts(total: int, shares: np.ndarray, minimums: np.ndarray) -> np.ndarray:
    """Split ``total`` into integer counts proportional to ``shares`` with per-class minimums
    (largest-remainder rounding; classes above their minimum give way when minimums bind)."""
    if total < minimums.sum():
        raise ValueError(f"need at least {int(minimums.sum())} SKUs to hold every family, got {total}")
    counts = np.maximum(minimums, np.floor(shares / shares.sum() * total)).astype(int)
    while counts.sum() != total:
        ideal = shares / shares.sum() * total
        if counts.sum() < total:
            counts[int(np.argmax(ideal - counts))] += 1
        else:
            slack = np.where(counts > minimums, counts - ideal, -np.inf)
            counts[int(np.argmax(slack))] -= 1
    return counts


def build_customers(n_customers: int, seed: int) -> pd.DataFrame:
    """Customers with segment, region, country, priority, a size weight and 1-3 delivery weekdays.

    Internal columns: ``cust`` (0-based index), ``weight`` (lognormal size),
    ``delivery_days`` (tuple of weekday offsets 1=Mon..5=Fri from the week's Sunday),
    ``base_lag`` (typical order-to-request days), ``warehouse``.
    """
    rng = stream(seed, "customers")
    segment = rng.choice(len(SEGMENTS), size=n_customers, p=np.array(SEGMENT_SHARE))
    region = rng.choice(len(REGIONS), size=n_customers, p=np.array(REGION_SHARE))
    weight = rng.lognormal(0.0, 1.1, size=n_customers) * np.where(np.array(SEGMENTS)[segment] == "distributor", 3.0, 1.0)
    n_days = np.clip(1 + (weight > np.quantile(weight, 0.5)) + (weight > np.quantile(weight, 0.85)), 1, 3)
    rows = []
    for i in range(n_customers):
        seg, reg = SEGMENTS[segment[i]], REGIONS[region[i]]
        form = SEGMENT_NAME_FORMS[seg][int(rng.integers(3))]
        name = form.format(city=CITY_WORDS[int(rng.integers(len(CITY_WORDS)))],
                           name=NAME_WORDS[int(rng.integers(len(NAME_WORDS)))])
        days = tuple(sorted(int(d) for d in rng.choice(np.arange(1, 6), size=int(n_days[i]), replace=False)))
        rows.append({
            "cust": i,
            "customer_id": f"C-{1001 + i:04d}",
            "customer_name": name,
            "segment": seg,
            "region": reg,
            "country": COUNTRIES[reg][int(rng.integers(len(COUNTRIES[reg])))],
            "weight": float(weight[i]),
            "delivery_days": days,
            "base_lag": int(rng.integers(2, 11)),
            "warehouse": WAREHOUSE_BY_REGION[reg],
        })
    customers = pd.DataFrame(rows)
    customers["priority"] = customer_priorities(customers["weight"].to_numpy(), seed)
    return customers


PRIORITY_SHARES = (0.15, 0.35, 0.50)  # key accounts (1), preferred (2), standard (3)


def customer_priorities(weight: np.ndarray, seed: int) -> np.ndarray:
    """``crm/customers.priority`` (contract v1.1): 1 = key account, served first when supply
    is short, 2 = preferred, 3 = standard. Mostly the largest customers are key accounts: the
    rank of ``weight`` x a lognormal jitter, cut at PRIORITY_SHARES. Drawn from its own
    stream (``customers/priority``), so the other columns and every plant draw as before."""
    n = len(weight)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rng = stream(seed, "customers/priority")
    score = np.log(np.maximum(weight, 1e-12)) + rng.normal(0.0, 0.8, size=n)
    order = np.argsort(-score, kind="stable")
    cuts = np.round(np.cumsum(PRIORITY_SHARES) * n).astype(int)
    priority = np.empty(n, dtype=np.int64)
    priority[order] = 1 + np.searchsorted(cuts, np.arange(n), side="right")
    return np.minimum(priority, len(PRIORITY_SHARES))


def nice_price_cents(price: np.ndarray) -> np.ndarray:
    """List price in cents rounded to a multiple of 20 cents (at least 20)."""
    return np.maximum(20, np.round(price * 5.0) * 20).astype(np.int64)


def family_items(fam_idx: int, n: int, seed: int) -> pd.DataFrame:
    """Items of family ``FAMILIES[fam_idx]``: codes, names, uom, prices, costs, size weights."""
    spec = FAMILIES[fam_idx]
    rng = stream(seed, f"items/{spec.name}")
    position = np.arange(n)
    upu = np.array([CS_PATTERN[i % 5] for i in position]) if spec.name == "CONSUMABLES" else np.ones(n, dtype=int)
    low, high = spec.price_range
    list_cents = nice_price_cents(np.exp(rng.uniform(np.log(low), np.log(high), size=n)))
    cost_cents = np.round(list_cents * rng.uniform(*spec.cost_ratio, size=n)).astype(np.int64)
    weight = rng.lognormal(0.0, spec.weight_sigma, size=n)
    nouns = [spec.nouns[int(k)] for k in rng.integers(len(spec.nouns), size=n)]
    variants = [VARIANTS[int(k)] for k in rng.integers(len(VARIANTS), size=n)]
    erp_item = [f"MD-{fam_idx + 1}{k + 1:04d}" for k in position]
    return pd.DataFrame({
        "erp_item": erp_item,
        "family": spec.name,
        "fam_idx": fam_idx,
        "position": position,
        "product_name": [f"{noun} {var} v{k + 1}" for noun, var, k in zip(nouns, variants, position)],
        "description": [f"{noun.upper()} {var.upper()}" + (f" CS/{u}" if u > 1 else "")
                        for noun, var, u in zip(nouns, variants, upu)],
        "uom": np.where(upu > 1, "CS", "EA"),
        "upu": upu.astype(np.int64),
        "list_cents": list_cents,
        "cost_cents": cost_cents,
        "lead_time_days": rng.integers(spec.lead_time_days[0], spec.lead_time_days[1] + 1, size=n),
        "weight": weight / weight.sum(),
    })


def base_weekly_eaches(items: pd.DataFrame) -> np.ndarray:
    """Base weekly demand in eaches: family revenue share * annual revenue / 52.18 * SKU weight
    / (list price * expected price factor)."""
    share = np.array([FAMILIES[i].revenue_share for i in items["fam_idx"]])
    weekly_value = ANNUAL_REVENUE_USD / WEEKS_PER_YEAR * share * items["weight"].to_numpy()
    return weekly_value / (items["list_cents"].to_numpy() / 100.0 * EXPECTED_PRICE_FACTOR)


def assign_lifecycle(items: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Mark ~4% of SKUs ``new`` (launched 2026-02..2026-05, only in fast-moving families so their
    history visibly starts then) and ~4% ``eol`` (demand fading to zero between 2025-05 and
    2026-04). CAPITAL_EQUIPMENT, LAB_SUPPLIES and the first case items are never picked, so
    every plant finds active SKUs at any size."""
    rng = stream(seed, "lifecycle")
    out = items.copy()
    n = len(out)
    eligible = ~out["family"].isin(["CAPITAL_EQUIPMENT", "LAB_SUPPLIES"]) & ~(
        (out["family"] == "CONSUMABLES") & (out["position"] < 10))
    candidates = eligible & (out["position"] >= 1)
    fast = out["family"].isin(["CONSUMABLES", "DIAGNOSTICS", "COLD_CHAIN", "SURGICAL"])
    n_each = max(1, round(0.04 * n))
    new_pool = out.index[candidates & fast].to_numpy()
    new_idx = rng.choice(new_pool, size=min(n_each, len(new_pool)), replace=False)
    eol_pool = out.index[candidates & ~out.index.isin(new_idx)].to_numpy()
    eol_idx = rng.choice(eol_pool, size=min(n_each, len(eol_pool)), replace=False)
    out["status"] = "active"
    out["launch_day"] = -1
    out["eol_zero_day"] = -1
    out["eol_weeks"] = 0
    out.loc[new_idx, "status"] = "new"
    launch = day("2026-02-01") + rng.integers(0, day("2026-05-01") - day("2026-02-01"), size=len(new_idx))
    out.loc[new_idx, "launch_day"] = launch - (launch - day("1970-01-04")) % 7  # a Sunday
    out.loc[eol_idx, "status"] = "eol"
    out.loc[eol_idx, "eol_zero_day"] = day("2025-05-01") + rng.integers(0, 365, size=len(eol_idx))
    out.loc[eol_idx, "eol_weeks"] = rng.integers(16, 27, size=len(eol_idx))
    return out


def assign_suppliers(items: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Supplier of each purchased item (empty for manufactured families). ``S-104`` supplies
    5-15 active LAB_SUPPLIES SKUs (about a quarter of the family), ``S-105`` the rest."""
    rng = stream(seed, "suppliers")
    out = items.copy()
    out["supplier_id"] = ""
    for fam, suppliers in SUPPLIERS_BY_FAMILY.items():
        idx = out.index[out["family"] == fam].to_numpy()
        out.loc[idx, "supplier_id"] = [suppliers[int(k)] for k in rng.integers(len(suppliers), size=len(idx))]
        if fam == DELAYED_SUPPLIER_FAMILY:
            active = out.index[(out["family"] == fam) & (out["status"] == "active")].to_numpy()
            k = int(np.clip(round(0.27 * len(idx)), 5, 15))
            chosen = set(rng.choice(active, size=min(k, len(active)), replace=False).tolist())
            out.loc[idx, "supplier_id"] = [DELAYED_SUPPLIER if i in chosen else "S-105" for i in idx]
    return out


def assign_crm_codes(items: pd.DataFrame, seed: int) -> pd.DataFrame:
    """CRM code per item: a mixed-style spelling of the ERP code that normalizes to the master
    SKU, except ~15 (scaled by size) legacy codes ``LEG-nnnn`` mapped through the crosswalk."""
    rng = stream(seed, "crm_codes")
    out = items.copy()
    styles = rng.integers(0, 6, size=len(out))
    out["crm_product_code"] = [crm_spelling(code, int(s)) for code, s in zip(out["erp_item"], styles)]
    n_legacy = max(2, round(15 * len(out) / 420))
    legacy_idx = rng.choice(out.index.to_numpy(), size=n_legacy, replace=False)
    numbers = rng.choice(np.arange(1000, 9999), size=n_legacy, replace=False)
    out["legacy"] = False
    out.loc[legacy_idx, "crm_product_code"] = [f"LEG-{k}" for k in numbers]
    out.loc[legacy_idx, "legacy"] = True
    return out


def build_items(n_skus: int, seed: int) -> pd.DataFrame:
    """All items with master data, lifecycle, supplier, CRM code and base weekly demand.

    Internal columns beyond the contract: ``sku`` (0-based row index), ``master_sku``,
    ``fam_idx``, ``upu``, ``list_cents``, ``cost_cents``, ``weight``, ``base_weekly``,
    ``launch_day``/``eol_zero_day``/``eol_weeks`` (lifecycle), ``supplier_id``, ``legacy``.
    """
    shares = np.array([f.sku_share for f in FAMILIES])
    minimums = np.array([f.min_skus for f in FAMILIES])
    counts = allocate_counts(n_skus, shares, minimums)
    items = pd.concat([family_items(i, int(c), seed) for i, c in enumerate(counts)], ignore_index=True)
    items["master_sku"] = items["erp_item"].map(normalize_code)
    items = assign_lifecycle(items, seed)
    items = assign_suppliers(items, seed)
    items = assign_crm_codes(items, seed)
    items["base_weekly"] = base_weekly_eaches(items)
    items["moq"] = np.maximum(1, np.round(items["base_weekly"] / items["upu"])).astype(np.int64)
    items["sku"] = np.arange(len(items))
    return items


def build_crosswalk(items: pd.DataFrame) -> pd.DataFrame:
    """Crosswalk rows: legacy CRM codes -> master SKU, GL product lines -> family, and every
    ERP item -> its master SKU (its normalized code): the crosswalk names the master list."""
    legacy = items[items["legacy"]]
    crm = pd.DataFrame({"system": "crm", "source_code": legacy["crm_product_code"],
                        "master_sku": legacy["master_sku"], "master_family": ""})
    gl = pd.DataFrame({"system": "gl", "source_code": [f.product_line for f in FAMILIES],
                       "master_sku": "", "master_family": [f.name for f in FAMILIES]})
    erp = pd.DataFrame({"system": "erp", "source_code": items["erp_item"],
                        "master_sku": items["master_sku"], "master_family": ""})
    return pd.concat([crm, erp, gl], ignore_index=True)
