"""Build the demo company's landing folder: clean base data, then (variant ``planted``) the plants.

``generate(out_dir, seed, variant, n_skus, n_customers)`` writes
``<out_dir>/landing/<system>/<entity>.csv`` and ``<out_dir>/manifest.json`` and returns the
manifest. Same arguments give byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..calendar import fiscal_calendar
from . import plants
from .company import build_crosswalk, build_customers, build_items
from .config import (
    CALENDAR_END,
    CALENDAR_START,
    CURRENCY,
    FAMILIES,
    HISTORY_END,
    HISTORY_START,
)
from .demand import (
    FiscalDays,
    apply_promotions,
    baseline_expected,
    build_promotions,
    fiscal_days,
    lifecycle_factor,
    realize_orders,
    week_start_days,
)
from .finance import journal_lines, journals_from_shipments
from .forecasts import (build_budget, build_ops_forecast, build_sales_forecast, demand_by_month, forecast_grid,
                        planners_expectation)
from .operations import (
    build_capacity,
    build_inventory,
    build_resources,
    build_routings,
    build_supply,
    expected_by_month,
    shipments_from_orders,
)
from ..extracts import CONTRACT, write_entity

VARIANTS = ("planted", "clean")
ARCHETYPES = ("medical", "distributor")
GENERATOR_VERSION = "2"  # 2: sales and operations forecast from the history they can see


@dataclass
class Company:
    """All frames of one demo company (internal columns included; the writer keeps contract ones)."""

    items: pd.DataFrame
    customers: pd.DataFrame
    crosswalk: pd.DataFrame
    products: pd.DataFrame
    promotions: pd.DataFrame
    orders: pd.DataFrame
    sales_forecast: pd.DataFrame
    ops_forecast: pd.DataFrame
    budget: pd.DataFrame
    inventory: pd.DataFrame
    supply: pd.DataFrame
    resources: pd.DataFrame
    routings: pd.DataFrame
    capacity: pd.DataFrame
    fiscal: FiscalDays
    # what the planners know of the future besides the history: per SKU x calendar month,
    # the promotion factor (promotions are planned) and the lifecycle factor (launches and
    # discontinuations are planned); see forecasts.planners_expectation
    planned: tuple[np.ndarray, np.ndarray]


def build_clean_company(seed: int, n_skus: int, n_customers: int) -> Company:
    """Every entity of the clean company except shipments and GL (derived from orders later)."""
    items = build_items(n_skus, seed)
    customers = build_customers(n_customers, seed)
    fiscal = fiscal_days()
    weeks = week_start_days()
    baseline = baseline_expected(items, weeks)
    promos = build_promotions(items, baseline, weeks, seed)
    expected = apply_promotions(baseline, promos)
    monthly = expected_by_month(expected, weeks)
    orders, price_factor = realize_orders(items, customers, expected, weeks, promos, fiscal, seed)
    routings = build_routings(items, seed)
    without_promotions = expected_by_month(baseline, weeks)
    promo_factor = np.divide(monthly, without_promotions, out=np.ones_like(monthly), where=without_promotions > 0)
    lifecycle = expected_by_month(lifecycle_factor(items, weeks), weeks) / expected_by_month(np.ones_like(baseline), weeks)
    expectation = forecast_expectation(items, orders, (promo_factor, lifecycle))
    return Company(
        items=items, customers=customers, crosswalk=build_crosswalk(items),
        products=items[["crm_product_code", "product_name", "list_cents"]].copy(),
        promotions=promos, orders=orders,
        sales_forecast=build_sales_forecast(items, expectation, seed),
        ops_forecast=build_ops_forecast(items, expectation, seed),
        budget=build_budget(items, expected, weeks, fiscal, price_factor, seed),
        inventory=build_inventory(items, customers, expected, weeks, seed),
        supply=build_supply(items, expected, weeks, seed),
        resources=build_resources(), routings=routings, capacity=build_capacity(routings, monthly, seed),
        fiscal=fiscal, planned=(promo_factor, lifecycle),
    )


def forecast_expectation(items: pd.DataFrame, orders: pd.DataFrame, planned: tuple[np.ndarray, np.ndarray]
                         ) -> np.ndarray:
    """The planners' expectation for every (submission, target, SKU) of the forecast grid,
    from the order history they can see at each submission and what is planned."""
    return planners_expectation(items, demand_by_month(orders, len(items)), *planned, forecast_grid(len(items)))


def plant_order_level(company: Company, ctx: plants.Context, targets: dict) -> tuple[Company, list[dict]]:
    """Plants that change demand or its timing (applied before shipments and GL are derived)."""
    c = company
    orders, sales_fc, level = plants.plant_level_shift(c.orders, c.sales_forecast, ctx)
    orders, mix = plants.plant_mix_shift(orders, ctx, targets)
    # Both forecasts start from the history as it now is: a planted demand change is seen
    # once it is history. Sales knows the level shift ahead (the contract win above), so its
    # forecast of that family stays the one planted: the history without the shift, times it.
    seen = forecast_expectation(c.items, orders, c.planned)
    ops_fc = build_ops_forecast(c.items, seen, ctx.seed)
    level_skus = set(c.items.index[c.items["family"] == level["family"]])
    sales_fc = pd.concat([build_sales_forecast(c.items, seen, ctx.seed).query("sku not in @level_skus"),
                          sales_fc[sales_fc["sku"].isin(level_skus)]])
    sales_fc = sales_fc.sort_values(["submission", "target", "sku"], kind="mergesort", ignore_index=True)
    orders, products, sales_fc, unmapped = plants.plant_unmapped_codes(orders, c.products, sales_fc, ctx, targets)
    orders, supply, inventory, delay = plants.plant_supplier_delay(orders, c.supply, c.inventory, ctx)
    changed = Company(**{**c.__dict__, "orders": orders, "sales_forecast": sales_fc, "ops_forecast": ops_fc,
                         "products": products, "supply": supply, "inventory": inventory})
    return changed, [unmapped, delay, mix, level]


def contract_frames(c: Company, shipments: pd.DataFrame, gl: pd.DataFrame) -> dict[str, Callable[[], pd.DataFrame]]:
    """Per entity, a function that maps the internal frame to contract column names (the writer
    selects and formats them). Built one at a time, so only one renamed copy is in memory."""
    items, orders, supply = c.items, c.orders, c.supply
    return {
        "crm/customers": lambda: c.customers,
        "crm/products": lambda: c.products.assign(list_price=c.products["list_cents"] / 100, currency=CURRENCY),
        "crm/orders": lambda: orders.assign(order_date=orders["order_day"], requested_date=orders["req_day"],
                                            unit_price=orders["unit_price_cents"] / 100, currency=CURRENCY),
        "crm/promotions": lambda: c.promotions,
        "crm/sales_forecast": lambda: c.sales_forecast,
        "erp/items": lambda: items.assign(units_per_uom=items["upu"], std_cost=items["cost_cents"] / 100,
                                          currency=CURRENCY),
        "erp/shipments": lambda: shipments,
        "erp/inventory": lambda: c.inventory,
        "erp/supply": lambda: supply.assign(order_date=supply["order_day"], due_date=supply["due_day"],
                                            received_date=supply["received_day"]),
        "erp/resources": lambda: c.resources,
        "erp/capacity": lambda: c.capacity,
        "erp/routings": lambda: c.routings,
        "erp/ops_forecast": lambda: c.ops_forecast,
        "gl/journal_lines": lambda: gl.assign(posting_date=gl["posting_day"], amount=gl["amount_cents"] / 100),
        "gl/budget": lambda: c.budget,
        "master/sku_crosswalk": lambda: c.crosswalk,
        "master/fiscal_calendar": lambda: fiscal_calendar(CALENDAR_START, CALENDAR_END),
    }


def revenue_summary(gl: pd.DataFrame, shipments: pd.DataFrame) -> dict:
    """GL revenue per fiscal year and shipped value per calendar year (USD)."""
    revenue = gl[gl["account_type"] == "revenue"]
    by_fy = (revenue.groupby("fiscal_year")["amount_cents"].sum() / 100).round(2)
    value = shipments["quantity_eaches"] * shipments["unit_price_cents"]
    year = shipments["ship_date"].to_numpy().astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
    by_cy = (value.groupby(year).sum() / 100).round(2)
    return {"gl_revenue_by_fiscal_year": {str(k): float(v) for k, v in by_fy.items()},
            "shipped_value_by_calendar_year": {str(k): float(v) for k, v in by_cy.items()}}


def generate(out_dir: Path, seed: int = 42, variant: str = "planted", n_skus: int = 420,
             n_customers: int = 200, archetype: str = "medical") -> dict:
    """Write the demo landing folder and manifest under ``out_dir``; return the manifest.

    ``archetype``: ``medical`` (default) or ``distributor``, the same company and plants as
    another company's systems write them (see :mod:`sop_analytics.demo.archetypes`)."""
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
    if archetype not in ARCHETYPES:
        raise ValueError(f"archetype must be one of {ARCHETYPES}, got {archetype!r}")
    out_dir = Path(out_dir)
    company = build_clean_company(seed, n_skus, n_customers)
    ctx = plants.Context(company.items, company.customers, company.fiscal, seed)
    planted: list[dict] = []
    if variant == "planted":
        targets = plants.pick_targets(ctx, company.orders)
        company, planted = plant_order_level(company, ctx, targets)
    true_shipments = shipments_from_orders(company.orders, company.items)
    gl = journal_lines(journals_from_shipments(true_shipments, company.items, company.fiscal), seed)
    shipments = true_shipments
    if variant == "planted":
        shipments, duplicate = plants.plant_duplicate_lines(shipments, ctx, targets)
        shipments, uom = plants.plant_uom_mixup(shipments, ctx, targets)
        gl, missing = plants.plant_missing_gl(gl, true_shipments, ctx)
        gl, cutoff = plants.plant_gl_cutoff(gl, true_shipments, ctx)
        capacity, overload = plants.plant_capacity_overload(company.capacity, company.routings, company.items, ctx)
        company = Company(**{**company.__dict__, "capacity": capacity})
        late = plants.late_supplier_entry(company.supply, company.items, ctx, planted[1])
        planted = [planted[0], duplicate, missing, cutoff, uom, planted[1], planted[2], planted[3], overload, late]
    summary = revenue_summary(gl, true_shipments)
    del true_shipments  # the planted shipments, when there are plants, are what is written
    landing = out_dir / "landing"
    frames = contract_frames(company, shipments, gl)
    files = {f"landing/{entity}.csv": write_entity(landing, entity, frames[entity]()) for entity in CONTRACT}
    manifest = {
        "generator": "sop_analytics.demo",
        "generator_version": GENERATOR_VERSION,
        "company": "Meridian Medical Devices (demo)",
        "seed": seed, "variant": variant, "n_skus": n_skus, "n_customers": n_customers,
        "currency": CURRENCY,
        "history_start": HISTORY_START.isoformat(), "history_end": HISTORY_END.isoformat(),
        "last_closed_period": "2026-10",
        "period_id_format": "YYYY-PP = fiscal_year and fiscal_period (4-4-5 calendar)",
        "families": [{"family": f.name, "product_line": f.product_line, "pattern": f.pattern,
                      "skus": int((company.items["family"] == f.name).sum())} for f in FAMILIES],
        "files": files,
        "summary": summary,
        "plants": [{"id": f"P{i + 1:02d}", **entry} for i, entry in enumerate(planted)],
        "archetype": "medical",
        "master_skus": sorted(company.items["master_sku"].tolist()),
        # rows the clean variant is expected to quarantine, per entity (none)
        "expected_quarantine_rows": {},
    }
    if archetype == "distributor":
        from .archetypes import to_distributor

        manifest = to_distributor(out_dir, json.loads(json.dumps(manifest, default=_json_default)))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2, default=_json_default) + "\n",
                                           encoding="utf-8")
    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))


def _json_default(value: object) -> object:
    """JSON for numpy scalars."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"not JSON serializable: {type(value)}")
