"""Landing contract (v1.1) columns and deterministic CSV writing.

Numbers are written with a fixed number of decimals per column (never scientific notation,
at most 4 decimals); dates as YYYY-MM-DD; empty cell = null; rows sorted by primary key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

# (column, kind) per entity in contract order; kind: str, int, date, ts, numN (N decimals) or
# num (whole numbers without decimals, otherwise up to 4 decimals with trailing zeros dropped)
CONTRACT: dict[str, tuple[tuple[str, str], ...]] = {
    "crm/customers": (("customer_id", "str"), ("customer_name", "str"), ("segment", "str"), ("region", "str"),
                      ("country", "str"), ("priority", "int")),
    "crm/products": (("crm_product_code", "str"), ("product_name", "str"), ("list_price", "num2"),
                     ("currency", "str")),
    "crm/orders": (("order_id", "str"), ("line_no", "int"), ("customer_id", "str"), ("crm_product_code", "str"),
                   ("order_date", "date"), ("requested_date", "date"), ("quantity", "num0"),
                   ("unit_price", "num2"), ("currency", "str"), ("status", "str"), ("promo_id", "str")),
    "crm/promotions": (("promo_id", "str"), ("crm_product_code", "str"), ("start_date", "date"),
                       ("end_date", "date"), ("discount_pct", "num0")),
    "crm/sales_forecast": (("crm_product_code", "str"), ("period_start", "date"), ("quantity", "num"),
                           ("submitted_at", "ts"), ("submitted_by", "str")),
    "erp/items": (("erp_item", "str"), ("description", "str"), ("family", "str"), ("uom", "str"),
                  ("units_per_uom", "num0"), ("std_cost", "num2"), ("currency", "str"), ("lead_time_days", "int"),
                  ("moq", "num0"), ("status", "str")),
    "erp/shipments": (("shipment_id", "str"), ("line_no", "int"), ("order_id", "str"), ("customer_id", "str"),
                      ("erp_item", "str"), ("ship_date", "date"), ("quantity", "num0"), ("warehouse", "str")),
    "erp/inventory": (("snapshot_date", "date"), ("erp_item", "str"), ("warehouse", "str"),
                      ("on_hand_qty", "num0")),
    "erp/supply": (("supply_id", "str"), ("erp_item", "str"), ("supply_type", "str"), ("supplier_id", "str"),
                   ("order_date", "date"), ("due_date", "date"), ("quantity", "num0"), ("status", "str"),
                   ("received_date", "date")),
    "erp/resources": (("resource_id", "str"), ("description", "str")),
    "erp/capacity": (("resource_id", "str"), ("period_start", "date"), ("available_hours", "num1")),
    "erp/routings": (("erp_item", "str"), ("resource_id", "str"), ("hours_per_unit", "num4")),
    "erp/ops_forecast": (("erp_item", "str"), ("period_start", "date"), ("quantity", "num1"),
                         ("submitted_at", "ts")),
    "gl/journal_lines": (("journal_id", "str"), ("line_no", "int"), ("posting_date", "date"),
                         ("fiscal_year", "int"), ("fiscal_period", "int"), ("account", "str"),
                         ("account_type", "str"), ("product_line", "str"), ("customer_id", "str"),
                         ("amount", "num2"), ("currency", "str")),
    "gl/budget": (("fiscal_year", "int"), ("fiscal_period", "int"), ("product_line", "str"), ("revenue", "num2"),
                  ("cogs", "num2")),
    "master/sku_crosswalk": (("system", "str"), ("source_code", "str"), ("master_sku", "str"),
                             ("master_family", "str")),
    "master/fiscal_calendar": (("date", "date"), ("fiscal_year", "int"), ("fiscal_period", "int"),
                               ("fiscal_week", "int")),
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "crm/customers": ("customer_id",),
    "crm/products": ("crm_product_code",),
    "crm/orders": ("order_id", "line_no"),
    "crm/promotions": ("promo_id",),
    "crm/sales_forecast": ("crm_product_code", "period_start", "submitted_at"),
    "erp/items": ("erp_item",),
    "erp/shipments": ("shipment_id", "line_no"),
    "erp/inventory": ("snapshot_date", "erp_item", "warehouse"),
    "erp/supply": ("supply_id",),
    "erp/resources": ("resource_id",),
    "erp/capacity": ("resource_id", "period_start"),
    "erp/routings": ("erp_item", "resource_id"),
    "erp/ops_forecast": ("erp_item", "period_start", "submitted_at"),
    "gl/journal_lines": ("journal_id", "line_no"),
    "gl/budget": ("fiscal_year", "fiscal_period", "product_line"),
    "master/sku_crosswalk": ("system", "source_code"),
    "master/fiscal_calendar": ("date",),
}


def contract_columns(entity: str) -> list[str]:
    """Column names of ``entity`` (e.g. ``"erp/items"``) in contract order."""
    return [name for name, _ in CONTRACT[entity]]


def format_dates(values: pd.Series) -> np.ndarray:
    """Day numbers (int, negative = null) or datetimes as ``YYYY-MM-DD`` strings ('' for null)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("").to_numpy()
    days = pd.to_numeric(values, errors="coerce").fillna(-1).astype(np.int64).to_numpy()
    text = np.datetime_as_string(np.maximum(days, 0).astype("datetime64[D]")).astype(object)
    text[days < 0] = ""
    return text


def format_numbers(values: pd.Series, decimals: int) -> np.ndarray:
    """Fixed-decimal text: integers for 0 decimals (up to 4 decimals if a value has a fraction),
    ``%.Nf`` otherwise; '' for null."""
    numbers = pd.to_numeric(values, errors="coerce")
    missing = numbers.isna().to_numpy()
    filled = numbers.fillna(0).to_numpy(dtype=float)
    if decimals == 0 and np.all(filled == np.round(filled)):
        text = np.round(filled).astype(np.int64).astype(str).astype(object)
    elif decimals == 0:  # whole numbers expected, but never silently round away a fraction
        text = np.array([f"{v:.4f}".rstrip("0").rstrip(".") for v in np.round(filled, 4)], dtype=object)
    else:
        text = np.char.mod(f"%.{decimals}f", np.round(filled, decimals)).astype(object)
        text[text == f"-{0:.{decimals}f}"] = f"{0:.{decimals}f}"
    text[missing] = ""
    return text


def format_column(values: pd.Series, kind: str) -> np.ndarray:
    """Text of one column of the given contract kind."""
    if kind == "date":
        return format_dates(values)
    if kind == "int":
        return format_numbers(values, 0)
    if kind == "num":
        return format_numbers(values, 0)
    if kind.startswith("num"):
        return format_numbers(values, int(kind[3:]))
    return values.fillna("").astype(str).to_numpy()


def to_landing_text(entity: str, frame: pd.DataFrame) -> pd.DataFrame:
    """All-text frame with exactly the contract columns of ``entity``, sorted by primary key."""
    text = pd.DataFrame({name: format_column(frame[name], kind) for name, kind in CONTRACT[entity]})
    keys = list(PRIMARY_KEYS[entity])
    sort_frame = frame[keys].copy()
    return text.iloc[np.lexsort([sort_frame[k].astype(str).to_numpy() if sort_frame[k].dtype == object
                                 else sort_frame[k].to_numpy() for k in reversed(keys)])].reset_index(drop=True)


def write_entity(landing: Path, entity: str, frame: pd.DataFrame) -> dict:
    """Write ``<landing>/<entity>.csv`` (UTF-8, comma, header, '\\n') and return rows and sha256."""
    path = landing / f"{entity}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = to_landing_text(entity, frame)
    data = text.to_csv(index=False, lineterminator="\n").encode("utf-8")
    path.write_bytes(data)
    return {"rows": int(len(text)), "sha256": hashlib.sha256(data).hexdigest()}
