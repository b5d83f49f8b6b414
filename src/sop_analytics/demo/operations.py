"""Operations' view: monthly expected demand, shipments, inventory, supply, capacity, routings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .company import day
from .config import (
    FAMILIES,
    HISTORY_END,
    HISTORY_START,
    MANUFACTURED_RESOURCES,
    SEGMENT_AFFINITY,
    SEGMENTS,
    WAREHOUSES,
)
from .rng import stream

MONTHS_START = "2023-01"
N_MONTHS = 60  # 2023-01 .. 2027-12


def month_starts(n_months: int = N_MONTHS) -> np.ndarray:
    """Day numbers of the first day of each calendar month from 2023-01."""
    return (pd.date_range(MONTHS_START, periods=n_months, freq="MS").to_numpy().astype("datetime64[D]")
            .astype(np.int64))


def month_index(days: np.ndarray) -> np.ndarray:
    """Calendar month index (0 = 2023-01) of each day number."""
    as_dates = np.asarray(days).astype("datetime64[D]")
    return (as_dates.astype("datetime64[M]").astype(np.int64) - np.datetime64(MONTHS_START, "M").astype(np.int64))


def expected_by_month(expected: np.ndarray, weeks: np.ndarray) -> np.ndarray:
    """Expected eaches per SKU x calendar month (2023-01..2027-12): each week's expected demand
    spread evenly over its five weekdays, summed per month."""
    days = np.arange(weeks[0], weeks[-1] + 7)
    weekday = (days - weeks[0]) % 7
    days = days[(weekday >= 1) & (weekday <= 5)]
    month = month_index(days)
    keep = (month >= 0) & (month < N_MONTHS)
    per_day = expected[:, (days[keep] - weeks[0]) // 7] / 5.0
    indicator = np.zeros((keep.sum(), N_MONTHS))
    indicator[np.arange(keep.sum()), month[keep]] = 1.0
    return per_day @ indicator


def shipments_from_orders(orders: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Shipment lines of every shipped order line: quantity in the item's uom, ship date from the
    order's shipment (normally the requested date). Keeps internal columns used downstream
    (sku, fam_idx, quantity_eaches, unit_price_cents)."""
    shipped = orders[orders["status"] == "shipped"]
    return pd.DataFrame({
        "shipment_id": shipped["shipment_id"].to_numpy(),
        "line_no": shipped["shipment_line_no"].to_numpy(),
        "order_id": shipped["order_id"].to_numpy(),
        "customer_id": shipped["customer_id"].to_numpy(),
        "erp_item": shipped["erp_item"].to_numpy(),
        "ship_date": shipped["ship_day"].to_numpy(),
        "quantity": shipped["q_uom"].to_numpy(),
        "warehouse": shipped["warehouse"].to_numpy(),
        "sku": shipped["sku"].to_numpy(),
        "fam_idx": items["fam_idx"].to_numpy()[shipped["sku"]],
        "quantity_eaches": shipped["quantity"].to_numpy(),
        "unit_price_cents": shipped["unit_price_cents"].to_numpy(),
    })


def warehouse_shares(items: pd.DataFrame, customers: pd.DataFrame) -> np.ndarray:
    """Expected share of each item's demand per warehouse (items x WAREHOUSES), from the family's
    customer weights (size x segment affinity) and each customer's warehouse."""
    seg_idx = customers["segment"].map({s: i for i, s in enumerate(SEGMENTS)}).to_numpy()
    shares = np.zeros((len(FAMILIES), len(WAREHOUSES)))
    for f, spec in enumerate(FAMILIES):
        p = customers["weight"].to_numpy() * np.array(SEGMENT_AFFINITY[spec.name])[seg_idx]
        for w, wh in enumerate(WAREHOUSES):
            shares[f, w] = p[customers["warehouse"].to_numpy() == wh].sum() / p.sum()
    return shares[items["fam_idx"].to_numpy()]


def build_inventory(items: pd.DataFrame, customers: pd.DataFrame, expected: np.ndarray, weeks: np.ndarray,
                    seed: int) -> pd.DataFrame:
    """Month-end on-hand per item x warehouse (item uom), 2023-01-31..2026-10-31.

    on_hand = round(expected weekly eaches * warehouse share * cover / units_per_uom), cover =
    item-warehouse base cover U(2.5, 7) weeks * monthly noise U(0.8, 1.15), kept within 2..8 weeks.
    Items not launched yet have no rows.
    """
    rng = stream(seed, "inventory")
    snapshots = month_starts(47)[1:] - 1  # last day of 2023-01 .. 2026-10
    week_idx = (snapshots - weeks[0]) // 7
    shares = warehouse_shares(items, customers)
    base_cover = rng.uniform(2.5, 7.0, size=shares.shape)
    noise = rng.uniform(0.8, 1.15, size=(len(snapshots),) + shares.shape)
    cover = np.clip(base_cover[None] * noise, 2.0, 8.0)
    weekly = expected[:, week_idx].T[:, :, None] * shares[None]  # snapshot x item x warehouse
    on_hand = np.round(weekly * cover / items["upu"].to_numpy()[None, :, None]).astype(np.int64)
    snap, item, wh = np.meshgrid(np.arange(len(snapshots)), np.arange(len(items)), np.arange(len(WAREHOUSES)),
                                 indexing="ij")
    frame = pd.DataFrame({
        "snapshot_date": snapshots[snap.ravel()],
        "sku": item.ravel(),
        "warehouse": np.array(WAREHOUSES)[wh.ravel()],
        "on_hand_qty": on_hand.ravel(),
    })
    launch = items["launch_day"].to_numpy()[frame["sku"]]
    frame = frame[(launch < 0) | (frame["snapshot_date"] >= launch - 31)]
    frame.insert(1, "erp_item", items["erp_item"].to_numpy()[frame["sku"]])
    return frame.reset_index(drop=True)


def supply_cycle_weeks(family: str) -> int:
    """Weeks between replenishment orders of an item of ``family``."""
    spec = next(f for f in FAMILIES if f.name == family)
    if spec.pattern in ("intermittent",) or family == "LONG_TAIL":
        return 8
    return 2 if family in ("SURGICAL", "DIAGNOSTICS") else 4


def item_supply(item: pd.Series, expected_row: np.ndarray, weeks: np.ndarray, rng: np.random.Generator) -> list[dict]:
    """Replenishment orders of one item: due every cycle on a Tuesday from the first date its
    order date falls in 2023 until 6 months past the extract date; quantity = expected eaches
    of the cycle / units_per_uom rounded up, at least the MOQ; none when nothing is expected."""
    cycle = supply_cycle_weeks(item["family"])
    lead = int(item["lead_time_days"])
    end, first = day(HISTORY_END), day(HISTORY_START)
    w = int(rng.integers(0, cycle)) + int(np.ceil((lead + 2) / 7))
    rows = []
    while w < len(weeks) and weeks[w] + 2 <= end + 183:
        need = expected_row[w:w + cycle].sum()
        due = int(weeks[w] + 2)
        if need > 0 and due - lead >= first:
            rows.append({"due_day": due, "order_day": min(due - lead, end - int(rng.integers(0, 21))),
                         "quantity": max(int(item["moq"]), int(np.ceil(need / item["upu"])))})
        w += cycle
    return rows


def build_supply(items: pd.DataFrame, expected: np.ndarray, weeks: np.ndarray, seed: int) -> pd.DataFrame:
    """POs (purchased families, with supplier) and WOs (manufactured families) per item.

    Due on or before the extract date: ``received`` on due + U{-3..+4} days (``open`` if that is
    after the extract date); later: ``open``; about 1% ``cancelled``. Ids PO-/WO-nnnnnn in
    (due date, item) order.
    """
    rng = stream(seed, "supply")
    end = day(HISTORY_END)
    frames = []
    for item in items.itertuples(index=False):
        rows = item_supply(pd.Series(item._asdict()), expected[item.sku], weeks, rng)
        if rows:
            frame = pd.DataFrame(rows)
            frame["sku"] = item.sku
            frames.append(frame)
    supply = pd.concat(frames, ignore_index=True)
    supply["erp_item"] = items["erp_item"].to_numpy()[supply["sku"]]
    manufactured = np.array([FAMILIES[i].manufactured for i in items["fam_idx"]])[supply["sku"]]
    supply["supply_type"] = np.where(manufactured, "WO", "PO")
    supply["supplier_id"] = np.where(manufactured, "", items["supplier_id"].to_numpy()[supply["sku"]])
    received = supply["due_day"].to_numpy() + rng.integers(-3, 5, size=len(supply))
    done = received <= end
    cancelled = rng.random(len(supply)) < 0.01
    supply["status"] = np.where(cancelled, "cancelled", np.where(done, "received", "open"))
    supply["received_day"] = np.where(done & ~cancelled, received, -1)
    supply = supply.sort_values(["due_day", "erp_item"], ignore_index=True)
    number = supply.groupby("supply_type").cumcount() + 1
    supply["supply_id"] = supply["supply_type"] + "-" + number.map("{:06d}".format)
    return supply


def build_resources() -> pd.DataFrame:
    """The manufacturing resources (one row per resource id)."""
    rows = {res: desc for _, res, desc, _, _ in MANUFACTURED_RESOURCES}
    return pd.DataFrame({"resource_id": list(rows), "description": list(rows.values())})


def build_routings(items: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Hours per each on every resource of the item's family, U(low, high), 4 decimals."""
    rng = stream(seed, "routings")
    rows = []
    for item in items.itertuples(index=False):
        for family, res, _, low, high in MANUFACTURED_RESOURCES:
            if family == item.family:
                rows.append({"erp_item": item.erp_item, "sku": item.sku, "resource_id": res,
                             "hours_per_unit": max(0.001, round(float(rng.uniform(low, high)), 4))})
    return pd.DataFrame(rows)


def build_capacity(routings: pd.DataFrame, monthly: np.ndarray, seed: int) -> pd.DataFrame:
    """Available hours per resource x calendar month 2023-01..2027-12: planned load (expected
    eaches x hours per unit) divided by a target utilization U(0.66, 0.78), rounded to hours,
    so planned load is 60-85% of capacity."""
    rng = stream(seed, "capacity")
    months = month_starts()
    rows = []
    for res, group in routings.groupby("resource_id", sort=True):
        load = (monthly[group["sku"].to_numpy()] * group["hours_per_unit"].to_numpy()[:, None]).sum(axis=0)
        hours = np.maximum(8.0, np.round(load / rng.uniform(0.66, 0.78, size=len(months))))
        rows.append(pd.DataFrame({"resource_id": res, "period_start": months, "available_hours": hours}))
    return pd.concat(rows, ignore_index=True)
