"""Planted problems: each a small function applied to the clean data, returning the changed
frames and its manifest entry. The clean variant is the planted variant without these calls.

Period ids are the pipeline's planning period ids ``YYYY-PP`` (fiscal year, fiscal period).
Every entry states the size in eaches and in USD (at the order unit prices).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..calendar import period_id
from .config import DELAYED_SUPPLIER, DELAYED_SUPPLIER_FAMILY, FAMILIES, SEGMENT_PRICE_FACTOR
from .company import day
from .demand import FiscalDays
from .operations import month_index
from .rng import stochastic_round, stream

UNMAPPED_CODES = ("NEWPRD-9001", "X-77")
UNMAPPED_PERIODS = ((202601, 202602, 202603), (202606, 202607))
DUPLICATE_PERIODS = (202406, 202502, 202511)
DUPLICATE_FAMILIES = ("COLD_CHAIN", "SPARE_PARTS", "LONG_TAIL")
MISSING_GL = ("COLD_CHAIN", 202508)
CUTOFF = ("DIAGNOSTICS", 202505, 202506)
UOM_PERIOD = 202509
DELAY_PERIODS = (202605, 202606)
DELAY_DAYS = 35
DELAY_WINDOW_DAYS = 21
MIX_START, MIX_SHARE = 202603, 0.70
LEVEL = ("SURGICAL", 202604, 1.25, "2026-05")
OVERLOAD = ("R-MOLD", "2027-02", 0.55)  # resource, calendar month, share of its hours left
LATE_SUPPLIER = "S-104"


@dataclass(frozen=True)
class Context:
    """Read-only inputs every plant may look at."""

    items: pd.DataFrame
    customers: pd.DataFrame
    fiscal: FiscalDays
    seed: int


def pid(key: int) -> str:
    """Period id ``YYYY-PP`` of a period key ``YYYY*100+PP``."""
    return period_id(key // 100, key % 100)


def usd(cents: float) -> float:
    """Cents to dollars, 2 decimals."""
    return round(float(cents) / 100.0, 2)


def sku_ref(ctx: Context, sku: int) -> dict:
    """Identifiers of one SKU in every system."""
    row = ctx.items.loc[sku]
    return {"master_sku": row["master_sku"], "erp_item": row["erp_item"],
            "crm_product_code": row["crm_product_code"], "family": row["family"]}


def skus_of(ctx: Context, skus: pd.Series) -> list[str]:
    """Sorted distinct master SKUs of the given sku indices."""
    return sorted(ctx.items.loc[sorted(set(skus.tolist())), "master_sku"].tolist())


def shipped_volume(orders: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """Shipped eaches per sku among ``mask`` rows."""
    sel = orders[mask & (orders["status"] == "shipped")]
    return sel.groupby("sku")["quantity"].sum().sort_values(ascending=False, kind="stable")


def pick_targets(ctx: Context, orders: pd.DataFrame) -> dict:
    """Choose the SKUs and customer each plant touches, disjoint across plants, from active SKUs.
    The mix shift takes the customer x case item (12 per case) bought in the most fiscal periods
    from its start period on, so the shift shows in most periods."""
    rng = stream(ctx.seed, "plant_targets")
    items = ctx.items
    active = items["status"] == "active"
    keys = ctx.fiscal.key_of(orders["req_day"].to_numpy())
    fam = items["family"].to_numpy()[orders["sku"]]
    cs12 = items.index[active & (items["family"] == "CONSUMABLES") & (items["upu"] == 12)].to_numpy()
    uom_item = int(cs12[0])
    after = (keys >= MIX_START) & orders["sku"].isin(cs12[1:]).to_numpy() & (orders["status"] == "shipped").to_numpy()
    pairs = orders[after].assign(period_key=keys[after]).groupby(["cust", "sku"]).agg(
        periods=("period_key", "nunique"), volume=("quantity", "sum")).reset_index()
    best = pairs.sort_values(["periods", "volume", "cust", "sku"], ascending=[False, False, True, True]).iloc[0]
    customer, sku_from = int(best["cust"]), int(best["sku"])
    sku_to = int(rng.choice([s for s in cs12[1:] if s != sku_from]))
    used = {uom_item, sku_from, sku_to}
    unmapped = []
    for family, periods in zip(("DIAGNOSTICS", "CONSUMABLES"), UNMAPPED_PERIODS):
        mask = pd.Series(np.isin(keys, periods) & (fam == family), index=orders.index) & orders["sku"].isin(
            items.index[active & ~items.index.isin(list(used))])
        volume = shipped_volume(orders, mask)
        sku = int(volume.index[len(volume) // 3])
        used.add(sku)
        unmapped.append(sku)
    duplicates = []
    shipped_active = (orders["status"] == "shipped") & orders["sku"].isin(items.index[active].to_numpy())
    for family, preferred in zip(DUPLICATE_FAMILIES, DUPLICATE_PERIODS):
        in_family = shipped_active & (fam == family)
        counts = orders[in_family].groupby([keys[in_family.to_numpy()], "sku"]).size()
        counts = counts[counts >= 2].reset_index(name="lines").rename(columns={"level_0": "period_key"})
        counts = counts[(counts["period_key"] >= 202401) & (counts["period_key"] <= 202512)]
        distance = (counts["period_key"] // 100 * 12 + counts["period_key"] % 100
                    - (preferred // 100 * 12 + preferred % 100)).abs()
        nearest = counts[distance == distance.min()]
        key = int(nearest["period_key"].min())
        duplicates.append((int(rng.choice(nearest.loc[nearest["period_key"] == key, "sku"].to_numpy())), key))
    return {"uom_item": uom_item, "mix": (customer, sku_from, sku_to), "unmapped": unmapped,
            "duplicates": duplicates}


def plant_level_shift(orders: pd.DataFrame, sales_fc: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """P08: from fiscal period 2026-04 the family's demand is x1.25 (order quantities scaled,
    stochastic rounding); sales forecast submissions from 2026-05 include it (sales knows of it
    ahead: its forecast of the family is its forecast from the history without the shift, times
    the factor); the ops forecast sees it only as it enters the history, the budget never."""
    family, start_key, factor, first_submission = LEVEL
    rng = stream(ctx.seed, "plant_level_shift")
    start_day, _ = ctx.fiscal.period_bounds(start_key)
    out = orders.copy()
    skus = ctx.items.index[ctx.items["family"] == family].to_numpy()
    mask = (out["sku"].isin(skus) & (out["req_day"] >= start_day)).to_numpy()
    before = out.loc[mask, "quantity"].to_numpy()
    upu = ctx.items["upu"].to_numpy()[out.loc[mask, "sku"]]
    out.loc[mask, "q_uom"] = np.maximum(1, stochastic_round(out.loc[mask, "q_uom"].to_numpy() * factor, rng))
    out.loc[mask, "quantity"] = out.loc[mask, "q_uom"].to_numpy() * upu
    shipped = (out.loc[mask, "status"] == "shipped").to_numpy()
    added = out.loc[mask, "quantity"].to_numpy() - before
    added_cents = added * out.loc[mask, "unit_price_cents"].to_numpy()
    periods = ctx.fiscal.key_of(out.loc[mask, "req_day"].to_numpy())
    by_period = pd.Series(added[shipped], index=periods[shipped]).groupby(level=0).sum()
    fc = sales_fc.copy()
    first_sub = int(month_index(np.array([day(first_submission + "-01")]))[0])
    fc_mask = (fc["sku"].isin(skus) & (fc["submission"] >= first_sub)).to_numpy()
    shifted = fc.loc[fc_mask, "quantity"].to_numpy() * factor
    fc.loc[fc_mask, "quantity"] = np.where(shifted >= 100, np.round(shifted), np.round(shifted, 1))
    entry = {
        "type": "level_shift", "family": family, "start_period": pid(start_key), "factor": factor,
        "description": f"{family} demand rises {int(round((factor - 1) * 100))}% from fiscal period "
                       f"{pid(start_key)} and stays; sales forecast submissions from {first_submission} "
                       "include it, the ops forecast sees it only as it enters the history, the budget never.",
        "master_skus": sorted(ctx.items.loc[skus, "master_sku"].tolist()),
        "erp_items": sorted(ctx.items.loc[skus, "erp_item"].tolist()),
        "periods": [pid(int(k)) for k in by_period.index],
        "sales_forecast_from_submission": first_submission,
        "units_eaches": int(added[shipped].sum()),
        "value_usd": usd(added_cents[shipped].sum()),
        "extra_units_by_period": {pid(int(k)): int(v) for k, v in by_period.items()},
    }
    return out, fc, entry


def plant_mix_shift(orders: pd.DataFrame, ctx: Context, targets: dict) -> tuple[pd.DataFrame, dict]:
    """P07: from fiscal period 2026-03 one large customer moves 70% of its SKU A quantity to SKU B
    (same family, same case size). Family units unchanged; CRM, ERP and GL all follow."""
    customer, sku_from, sku_to = targets["mix"]
    items = ctx.items
    start_day, _ = ctx.fiscal.period_bounds(MIX_START)
    out = orders.copy()
    seg = ctx.customers.loc[customer, "segment"]
    price_to = int(items.at[sku_to, "list_cents"]) * SEGMENT_PRICE_FACTOR[seg] // 100
    upu = int(items.at[sku_from, "upu"])
    rows = out.index[(out["cust"] == customer) & (out["sku"] == sku_from) & (out["req_day"] >= start_day)]
    new_lines, moved_by_period, moved_value = [], {}, 0
    for idx in rows:
        line = out.loc[idx]
        quantity = int(line["q_uom"])
        keep = int(round(quantity * (1 - MIX_SHARE)))
        existing = out.index[(out["order_id"] == line["order_id"]) & (out["sku"] == sku_to)]
        if len(existing) and keep == 0:
            if quantity == 1:
                continue
            keep = 1
        moved = quantity - keep
        if len(existing):
            out.loc[existing[0], "q_uom"] += moved
            out.loc[existing[0], "quantity"] = out.loc[existing[0], "q_uom"] * upu
        else:
            new_lines.append(("relabel" if keep == 0 else "append", idx, moved))
        if keep > 0:
            out.loc[idx, "q_uom"] = keep
            out.loc[idx, "quantity"] = keep * upu
        if line["status"] == "shipped":
            key = pid(int(ctx.fiscal.key_of(np.array([line["req_day"]]))[0]))
            moved_by_period[key] = moved_by_period.get(key, 0) + moved * upu
            moved_value += moved * upu * price_to
    appended = []
    for kind, idx, moved in new_lines:
        if kind == "relabel":
            out.loc[idx, ["sku", "erp_item", "crm_product_code", "unit_price_cents"]] = [
                sku_to, items.at[sku_to, "erp_item"], items.at[sku_to, "crm_product_code"], price_to]
            continue
        line = out.loc[idx].copy()
        same_order = out["order_id"] == line["order_id"]
        line["line_no"] = int(out.loc[same_order, "line_no"].max()) + 1 + sum(
            1 for r in appended if r["order_id"] == line["order_id"])
        if line["status"] == "shipped":
            line["shipment_line_no"] = int(out.loc[same_order, "shipment_line_no"].max()) + 1
        line[["sku", "erp_item", "crm_product_code", "unit_price_cents", "q_uom", "quantity", "promo_id"]] = [
            sku_to, items.at[sku_to, "erp_item"], items.at[sku_to, "crm_product_code"], price_to, moved,
            moved * upu, ""]
        appended.append(line)
    if appended:
        out = pd.concat([out, pd.DataFrame(appended)], ignore_index=True)
    entry = {
        "type": "customer_mix_shift",
        "description": f"From fiscal period {pid(MIX_START)} customer {ctx.customers.at[customer, 'customer_id']} "
                       f"moves {int(MIX_SHARE * 100)}% of its volume of {items.at[sku_from, 'master_sku']} to "
                       f"{items.at[sku_to, 'master_sku']} (same family); family units unchanged. A real demand "
                       "change, consistent in CRM, ERP and GL.",
        "customer_id": ctx.customers.at[customer, "customer_id"],
        "family": items.at[sku_from, "family"],
        "sku_from": sku_ref(ctx, sku_from), "sku_to": sku_ref(ctx, sku_to),
        "master_skus": [items.at[sku_from, "master_sku"], items.at[sku_to, "master_sku"]],
        "start_period": pid(MIX_START), "share_moved": MIX_SHARE,
        "periods": sorted(moved_by_period),
        "units_moved_by_period": dict(sorted(moved_by_period.items())),
        "units_eaches": int(sum(moved_by_period.values())),
        "value_usd": usd(moved_value),
    }
    return out, entry


def plant_unmapped_codes(orders: pd.DataFrame, products: pd.DataFrame, sales_fc: pd.DataFrame, ctx: Context,
                         targets: dict) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """P01: two new CRM codes that neither normalize to a master SKU nor are in the crosswalk,
    used on a few shipped order lines (up to 3 per period) of a real product in 2-3 periods,
    in crm/products and in the sales forecast (the relabeled eaches move from the real code's
    forecast to the new code). ERP ships the real erp_item; GL posts normally."""
    rng = stream(ctx.seed, "plant_unmapped")
    out, prods, fc = orders.copy(), products.copy(), sales_fc.copy()
    keys = ctx.fiscal.key_of(out["req_day"].to_numpy())
    details = []
    for code, sku, periods in zip(UNMAPPED_CODES, targets["unmapped"], UNMAPPED_PERIODS):
        chosen = []
        for key in periods:
            pool = out.index[(keys == key) & (out["sku"] == sku) & (out["status"] == "shipped")].to_numpy()
            chosen.extend(sorted(rng.choice(pool, size=min(3, len(pool)), replace=False).tolist()))
        out.loc[chosen, "crm_product_code"] = code
        real = ctx.items.loc[sku]
        prods = pd.concat([prods, pd.DataFrame([{"crm_product_code": code, "product_name": f"{real['product_name']} NEW",
                                                 "list_cents": real["list_cents"]}])], ignore_index=True)
        months = pd.Series(out.loc[chosen, "quantity"].to_numpy(),
                           index=month_index(out.loc[chosen, "req_day"].to_numpy())).groupby(level=0).sum()
        rows = fc.index[(fc["sku"] == sku) & fc["target"].isin(months.index)]
        moved = np.minimum(months.reindex(fc.loc[rows, "target"]).to_numpy(), fc.loc[rows, "quantity"].to_numpy())
        fc.loc[rows, "quantity"] -= moved
        fc = pd.concat([fc, fc.loc[rows].assign(crm_product_code=code, quantity=moved)], ignore_index=True)
        lines = out.loc[chosen]
        details.append({
            "crm_product_code": code, **{k: v for k, v in sku_ref(ctx, sku).items() if k != "crm_product_code"},
            "real_crm_product_code": real["crm_product_code"],
            "periods": [pid(k) for k in periods],
            "order_lines": [[o, int(n)] for o, n in zip(lines["order_id"], lines["line_no"])],
            "units_eaches": int(lines["quantity"].sum()),
            "value_usd": usd((lines["quantity"] * lines["unit_price_cents"]).sum()),
            "forecast_units_eaches_latest": int(latest_forecast_units(fc, code)),
        })
    fc = fc[fc["quantity"] > 0].reset_index(drop=True)
    entry = {
        "type": "unmapped_code",
        "description": "CRM product codes that neither normalize to a master SKU nor appear in the crosswalk; "
                       "their orders ship in ERP under the real erp_item and GL posts them normally.",
        "codes": details,
        "crm_codes": [d["crm_product_code"] for d in details],
        "master_skus": [d["master_sku"] for d in details],
        "families": [d["family"] for d in details],
        "periods": sorted({p for d in details for p in d["periods"]}),
        "units_eaches": sum(d["units_eaches"] for d in details),
        "value_usd": round(sum(d["value_usd"] for d in details), 2),
    }
    return out, prods, fc, entry


def latest_forecast_units(sales_fc: pd.DataFrame, code: str) -> int:
    """Eaches of ``code`` in the latest submission per target month of the sales forecast."""
    rows = sales_fc[sales_fc["crm_product_code"] == code]
    latest = rows.sort_values("submission").groupby("target").tail(1)
    return int(round(latest["quantity"].sum()))


def plant_supplier_delay(orders: pd.DataFrame, supply: pd.DataFrame, inventory: pd.DataFrame, ctx: Context
                         ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """P06: S-104's POs due in two fiscal periods of 2026 arrive 5 weeks late; order lines of those
    SKUs requested within 3 weeks after an original due date ship the day after the late
    receipt (new shipment ids); inventory snapshots in between show ~3% of normal stock."""
    out, sup, inv = orders.copy(), supply.copy(), inventory.copy()
    first, _ = ctx.fiscal.period_bounds(DELAY_PERIODS[0])
    _, last = ctx.fiscal.period_bounds(DELAY_PERIODS[-1])
    late = ((sup["supplier_id"] == DELAYED_SUPPLIER) & (sup["status"] == "received")
            & (sup["due_day"] >= first) & (sup["due_day"] <= last)).to_numpy()
    sup.loc[late, "received_day"] = sup.loc[late, "due_day"] + DELAY_DAYS
    new_ship = np.full(len(out), -1)
    for po in sup[late].itertuples():
        hit = ((out["sku"] == po.sku) & (out["status"] == "shipped") & (out["req_day"] >= po.due_day)
               & (out["req_day"] < po.due_day + DELAY_WINDOW_DAYS)).to_numpy()
        new_ship[hit] = np.maximum(new_ship[hit], po.received_day + 1)
    moved = new_ship >= 0
    out.loc[moved, "ship_day"] = new_ship[moved]
    heads = out[moved].drop_duplicates(["order_id", "ship_day"]).sort_values(["ship_day", "order_id"])
    start = int(out["shipment_id"].str[3:].replace("", "0").astype(int).max()) + 1
    ids = {(o, d): f"SH-{start + i:06d}" for i, (o, d) in enumerate(zip(heads["order_id"], heads["ship_day"]))}
    out.loc[moved, "shipment_id"] = [ids[(o, d)] for o, d in zip(out.loc[moved, "order_id"], out.loc[moved, "ship_day"])]
    out.loc[moved, "shipment_line_no"] = out[moved].groupby("shipment_id").cumcount().to_numpy() + 1
    skus = sorted(sup.loc[late, "sku"].unique().tolist())
    gap_from, gap_to = int(sup.loc[late, "due_day"].min()), int(sup.loc[late, "received_day"].max())
    gap = (inv["sku"].isin(skus) & (inv["snapshot_date"] >= gap_from) & (inv["snapshot_date"] < gap_to)).to_numpy()
    inv.loc[gap, "on_hand_qty"] = np.round(inv.loc[gap, "on_hand_qty"].to_numpy() * 0.03).astype(np.int64)
    lines = out[moved]
    upu = ctx.items["upu"].to_numpy()[sup.loc[late, "sku"]]
    entry = {
        "type": "supplier_delay", "supplier_id": DELAYED_SUPPLIER, "family": DELAYED_SUPPLIER_FAMILY,
        "description": f"{DELAYED_SUPPLIER}'s POs due in fiscal periods {', '.join(pid(k) for k in DELAY_PERIODS)} "
                       f"are received {DELAY_DAYS // 7} weeks late; orders for those SKUs requested within "
                       f"{DELAY_WINDOW_DAYS // 7} weeks after the due date ship the day after the late receipt; "
                       "inventory is near zero in between.",
        "periods": [pid(k) for k in DELAY_PERIODS],
        "master_skus": [ctx.items.at[s, "master_sku"] for s in skus],
        "erp_items": [ctx.items.at[s, "erp_item"] for s in skus],
        "supply_ids": sorted(sup.loc[late, "supply_id"].tolist()),
        "days_late": DELAY_DAYS,
        "late_supply_units_eaches": int((sup.loc[late, "quantity"].to_numpy() * upu).sum()),
        "late_order_lines": int(moved.sum()),
        "units_eaches": int(lines["quantity"].sum()),
        "value_usd": usd((lines["quantity"] * lines["unit_price_cents"]).sum()),
        "average_days_late_vs_requested": round(float((lines["ship_day"] - lines["req_day"]).mean()), 1),
        "inventory_near_zero_from": str(np.datetime64(gap_from, "D")),
        "inventory_near_zero_to": str(np.datetime64(gap_to, "D")),
    }
    return out, sup, inv, entry


def plant_duplicate_lines(shipments: pd.DataFrame, ctx: Context, targets: dict) -> tuple[pd.DataFrame, dict]:
    """P02: two shipment lines each of three SKUs (one fiscal period per SKU) duplicated: same row
    with a new line_no appended at the end of the shipment. GL is not affected."""
    rng = stream(ctx.seed, "plant_duplicates")
    out = shipments.copy()
    keys = ctx.fiscal.key_of(out["ship_date"].to_numpy())
    copies, details = [], []
    for sku, key in targets["duplicates"]:
        pool = out.index[(keys == key) & (out["sku"] == sku)].to_numpy()
        for idx in sorted(rng.choice(pool, size=2, replace=False).tolist()):
            row = out.loc[idx].copy()
            taken = [int(c["line_no"]) for c in copies if c["shipment_id"] == row["shipment_id"]]
            row["line_no"] = max([int(out.loc[out["shipment_id"] == row["shipment_id"], "line_no"].max())] + taken) + 1
            copies.append(row)
            details.append({"shipment_id": row["shipment_id"], "line_no": int(out.at[idx, "line_no"]),
                            "duplicate_line_no": int(row["line_no"]), "period": pid(key),
                            **sku_ref(ctx, sku), "quantity": int(row["quantity"]),
                            "units_eaches": int(row["quantity_eaches"]),
                            "value_usd": usd(row["quantity_eaches"] * row["unit_price_cents"])})
    out = pd.concat([out, pd.DataFrame(copies)], ignore_index=True)
    entry = {
        "type": "duplicate_shipment_line",
        "description": "Shipment lines duplicated (identical except a new line_no at the end of the shipment); "
                       "GL not affected.",
        "lines": details,
        "master_skus": sorted({d["master_sku"] for d in details}),
        "families": sorted({d["family"] for d in details}),
        "periods": sorted({d["period"] for d in details}),
        "units_eaches": sum(d["units_eaches"] for d in details),
        "value_usd": round(sum(d["value_usd"] for d in details), 2),
    }
    return out, entry


def plant_uom_mixup(shipments: pd.DataFrame, ctx: Context, targets: dict) -> tuple[pd.DataFrame, dict]:
    """P05: one case item (12 per case) records its shipment quantity in eaches instead of cases
    for one fiscal period (file quantity = eaches, i.e. 12x too many cases). GL correct."""
    sku = targets["uom_item"]
    out = shipments.copy()
    mask = ((out["sku"] == sku) & (ctx.fiscal.key_of(out["ship_date"].to_numpy()) == UOM_PERIOD)).to_numpy()
    true_eaches = int(out.loc[mask, "quantity_eaches"].sum())
    upu = int(ctx.items.at[sku, "upu"])
    price = float((out.loc[mask, "quantity_eaches"] * out.loc[mask, "unit_price_cents"]).sum()) / max(true_eaches, 1)
    out.loc[mask, "quantity"] = out.loc[mask, "quantity_eaches"]
    entry = {
        "type": "uom_mixup", **sku_ref(ctx, sku), "units_per_uom": upu, "period": pid(UOM_PERIOD),
        "periods": [pid(UOM_PERIOD)], "master_skus": [ctx.items.at[sku, "master_sku"]],
        "description": f"Shipments of a case item ({upu} per case) in fiscal period {pid(UOM_PERIOD)} record "
                       "quantity in eaches instead of cases; GL is correct.",
        "shipment_lines": int(mask.sum()),
        "true_quantity_cases": int(true_eaches // upu),
        "recorded_quantity": true_eaches,
        "true_units_eaches": true_eaches,
        "recorded_units_eaches": true_eaches * upu,
        "units_eaches": true_eaches * (upu - 1),
        "value_usd": usd(true_eaches * (upu - 1) * price),
    }
    return out, entry


def plant_missing_gl(gl_lines: pd.DataFrame, shipments: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, dict]:
    """P03: every GL journal line (revenue, cogs, other) of one family's product line in one fiscal
    period of 2025 is removed."""
    family, key = MISSING_GL
    line = int(ctx.items.loc[ctx.items["family"] == family, "fam_idx"].iloc[0])
    product_line = FAMILIES[line].product_line
    mask = ((gl_lines["product_line"] == product_line) & (gl_lines["fiscal_year"] == key // 100)
            & (gl_lines["fiscal_period"] == key % 100)).to_numpy()
    removed = gl_lines[mask]
    ship_mask = (shipments["fam_idx"] == line) & (ctx.fiscal.key_of(shipments["ship_date"].to_numpy()) == key)
    entry = {
        "type": "missing_gl_posting", "family": family, "product_line": product_line, "period": pid(key),
        "master_skus": skus_of(ctx, shipments.loc[ship_mask, "sku"]),
        "periods": [pid(key)],
        "description": f"All GL journal lines of {product_line} ({family}) in fiscal period {pid(key)} are missing.",
        "journals_removed": int(removed["journal_id"].nunique()),
        "journal_lines_removed": int(mask.sum()),
        "revenue_usd": usd(removed.loc[removed["account_type"] == "revenue", "amount_cents"].sum()),
        "cogs_usd": usd(-removed.loc[removed["account_type"] == "cogs", "amount_cents"].sum()),
        "units_eaches": int(shipments.loc[ship_mask, "quantity_eaches"].sum()),
        "value_usd": usd(removed.loc[removed["account_type"] == "revenue", "amount_cents"].sum()),
    }
    return gl_lines[~mask].reset_index(drop=True), entry


def plant_gl_cutoff(gl_lines: pd.DataFrame, shipments: pd.DataFrame, ctx: Context) -> tuple[pd.DataFrame, dict]:
    """P04: one family's journals of the last two shipping days of a fiscal period are posted on
    the first day of the next period (posting date and fiscal year/period of that day)."""
    family, from_key, to_key = CUTOFF
    fam_idx = int(ctx.items.loc[ctx.items["family"] == family, "fam_idx"].iloc[0])
    product_line = FAMILIES[fam_idx].product_line
    out = gl_lines.copy()
    in_period = ((out["product_line"] == product_line) & (out["fiscal_year"] == from_key // 100)
                 & (out["fiscal_period"] == from_key % 100))
    last_days = sorted(out.loc[in_period, "posting_day"].unique())[-2:]
    mask = (in_period & out["posting_day"].isin(last_days)).to_numpy()
    new_day, _ = ctx.fiscal.period_bounds(to_key)
    moved = out[mask]
    out.loc[mask, "posting_day"] = new_day
    out.loc[mask, "fiscal_year"] = to_key // 100
    out.loc[mask, "fiscal_period"] = to_key % 100
    ship_mask = (shipments["fam_idx"] == fam_idx) & shipments["ship_date"].isin(last_days)
    revenue = moved.loc[moved["account_type"] == "revenue", "amount_cents"].sum()
    entry = {
        "type": "gl_cutoff", "family": family, "product_line": product_line,
        "from_period": pid(from_key), "to_period": pid(to_key), "periods": [pid(from_key), pid(to_key)],
        "master_skus": skus_of(ctx, shipments.loc[ship_mask, "sku"]),
        "description": f"{family} shipments of the last two shipping days of {pid(from_key)} are posted in GL "
                       f"on the first day of {pid(to_key)}.",
        "ship_dates": [str(np.datetime64(int(d), "D")) for d in last_days],
        "posting_date": str(np.datetime64(new_day, "D")),
        "journal_ids": sorted(moved["journal_id"].unique().tolist()),
        "units_eaches": int(shipments.loc[ship_mask, "quantity_eaches"].sum()),
        "value_usd": usd(revenue),
        "cogs_usd": usd(-moved.loc[moved["account_type"] == "cogs", "amount_cents"].sum()),
    }
    return out, entry



def plant_capacity_overload(capacity: pd.DataFrame, routings: pd.DataFrame, items: pd.DataFrame,
                            ctx: Context) -> tuple[pd.DataFrame, dict]:
    """A future capacity cut: OVERLOAD's resource keeps 55% of its hours in one calendar
    month (a planned maintenance shutdown), so the plan needs more than it has there."""
    resource, month, share = OVERLOAD
    month_day = int(np.datetime64(month + "-01", "D").astype(np.int64))
    hit = (capacity["resource_id"] == resource) & (capacity["period_start"] == month_day)
    out = capacity.copy()
    before = float(out.loc[hit, "available_hours"].sum())
    out.loc[hit, "available_hours"] = np.round(out.loc[hit, "available_hours"] * share)
    mid = np.array([month_day + 14])
    key = int(ctx.fiscal.key_of(mid)[0])
    skus = sorted(items.loc[items["erp_item"].isin(routings.loc[routings["resource_id"] == resource, "erp_item"]),
                            "master_sku"])
    return out, {
        "type": "capacity_overload", "resource_id": resource, "calendar_month": month,
        "period": pid(key), "periods": [pid(key)], "share_of_hours_left": share,
        "hours_before": before, "hours_after": float(out.loc[hit, "available_hours"].sum()),
        "family": str(items.loc[items["erp_item"].isin(routings.loc[routings["resource_id"] == resource,
                                                                     "erp_item"]), "family"].iloc[0]),
        "master_skus": skus,
        "description": f"{resource} keeps {share:.0%} of its hours in {month} (a maintenance shutdown): "
                       "the plan needs more hours than it has in that period.",
    }


def late_supplier_entry(supply: pd.DataFrame, items: pd.DataFrame, ctx: Context, delay: dict) -> dict:
    """The supplier whose receipts ran late (the supplier delay plant), as supply risk for the
    plan: its open orders in the horizon and the SKUs they feed (no data changed here)."""
    open_orders = supply[(supply["supplier_id"] == LATE_SUPPLIER) & (supply["status"] == "open")]
    first_due = int(open_orders["due_day"].min())
    skus = sorted(items.loc[items["erp_item"].isin(open_orders["erp_item"]), "master_sku"])
    return {
        "type": "late_supplier", "supplier_id": LATE_SUPPLIER, "family": delay["family"],
        "history_days_late": delay["days_late"], "history_periods": delay["periods"],
        "open_orders": int(len(open_orders)), "first_open_due_date": str(np.datetime64(first_due, "D")),
        "period": pid(int(ctx.fiscal.key_of(np.array([first_due]))[0])),
        "periods": [pid(int(ctx.fiscal.key_of(np.array([first_due]))[0]))],
        "master_skus": skus,
        "description": f"{LATE_SUPPLIER} delivered {delay['days_late']} days late in "
                       f"{', '.join(delay['periods'])} and still has {len(open_orders)} open orders in the horizon.",
    }
