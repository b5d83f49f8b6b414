"""Map the UCI "Online Retail" invoice lines (Chen, Sain and Guo 2012) to the landing contract.

    python -m sop_analytics.online_retail --src ../shared/data/online_retail_2010_2011.parquet \
        --out data/online_retail [--until 2011-09-05]

Input: invoice lines with columns ``InvoiceNo, StockCode, Description, Quantity,
InvoiceDate, UnitPrice, CustomerID, Country`` (541,909 lines, 2010-12-01..2011-12-09).
Output, as a user's extract job would write it:

- ``erp/items``: one active EA item per product code (``StockCode`` kept as text).
  Product codes are the ones starting with five digits; the others are charges and
  adjustments (``POST``, ``DOT``, ``M``, ``BANK CHARGES``, ``AMAZONFEE``, gift vouchers),
  not demand, and are not landed. The data has no product family: the family is the code's
  first two digits (``RETAIL_22``, ``RETAIL_84``, ...), the retailer's own numbering blocks.
- ``erp/shipments``: one line per invoice line with a positive quantity, shipped on the
  invoice date (``shipment_id`` = InvoiceNo, ``line_no`` = the line's position in the
  invoice, ``customer_id`` = CustomerID or ``UNKNOWN``, warehouse ``MAIN``). A
  cancellation (invoice number starting with ``C``) removes the one earlier line of the
  same customer, code and quantity it cancels, when there is one (the 80,995-unit
  order cancelled the same day is such a pair); cancellations that match no line are
  returns of goods sold before the data starts and are not demand.
- ``master/fiscal_calendar`` (weekly planning): the data covers one year, too short to
  hold out 12 months, so each Monday-to-Sunday week is one planning period. The contract's
  periods are ``fiscal_year`` x ``fiscal_period`` 1-12, so week ``k`` (0 = the week of
  the first invoice) is written as ``fiscal_year = 2001 + k // 12``,
  ``fiscal_period = k % 12 + 1``: period ids sort in week order and every period has 7 days.

``until`` (a date) keeps only the invoice lines before it (a truncated extract).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from .extracts import write_entity

FAMILY_PREFIX = "RETAIL_"
WEEK_YEAR_BASE = 2001


def read_invoices(src: Path) -> pd.DataFrame:
    """The invoice lines with ids as text and the invoice date as a date."""
    frame = pd.read_parquet(src)
    missing = {"InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "CustomerID"} - set(frame.columns)
    if missing:
        raise ValueError(f"{src}: missing column(s) {sorted(missing)}")
    frame = frame.reset_index(drop=True)
    frame["InvoiceNo"] = frame["InvoiceNo"].astype(str).str.strip()
    frame["StockCode"] = frame["StockCode"].astype(str).str.strip()
    customer = frame["CustomerID"]
    frame["customer_id"] = np.where(customer.isna(), "UNKNOWN",
                                    customer.fillna(0).astype("int64").astype(str))
    frame["date"] = pd.to_datetime(frame["InvoiceDate"]).dt.normalize()
    frame["line_no"] = frame.groupby("InvoiceNo").cumcount() + 1
    return frame


def is_product(codes: pd.Series) -> pd.Series:
    """Product codes start with five digits; the rest are charges and adjustments."""
    return codes.str.match(r"^\d{5}")


def demand_lines(invoices: pd.DataFrame) -> pd.DataFrame:
    """Positive product lines, less the lines a later cancellation cancels (one each)."""
    prod = invoices[is_product(invoices["StockCode"])]
    cancelled = prod["InvoiceNo"].str.startswith("C")
    sales = prod[~cancelled & (prod["Quantity"] > 0)].copy()
    cancels = prod[cancelled & (prod["Quantity"] < 0)].copy()
    key = ["customer_id", "StockCode", "qty"]
    sales["qty"] = sales["Quantity"]
    cancels["qty"] = -cancels["Quantity"]
    # pair the n-th cancellation of a key with the n-th latest earlier sale of that key
    sales = sales.sort_values(["InvoiceDate", "InvoiceNo", "line_no"], ascending=False, kind="mergesort")
    sales["nth"] = sales.groupby(key).cumcount()
    cancels = cancels[cancels["customer_id"] != "UNKNOWN"].sort_values(
        ["InvoiceDate", "InvoiceNo", "line_no"], ascending=False, kind="mergesort")
    cancels["nth"] = cancels.groupby(key).cumcount()
    pairs = sales.merge(cancels[key + ["nth", "InvoiceDate"]].rename(columns={"InvoiceDate": "cancelled_at"}),
                        on=key + ["nth"], how="left")
    keep = pairs["cancelled_at"].isna() | (pairs["cancelled_at"] < pairs["InvoiceDate"])
    return pairs[keep].drop(columns=["qty", "nth", "cancelled_at"]).sort_values(
        ["InvoiceNo", "line_no"], kind="mergesort").reset_index(drop=True)


def retail_items(invoices: pd.DataFrame) -> pd.DataFrame:
    prod = invoices[is_product(invoices["StockCode"])]
    desc = prod.dropna(subset=["Description"]).groupby("StockCode")["Description"].first()
    codes = sorted(prod["StockCode"].unique())
    return pd.DataFrame({
        "erp_item": codes,
        "description": [str(desc.get(c, c)).strip() for c in codes],
        "family": [FAMILY_PREFIX + c[:2] for c in codes],
        "uom": "EA", "units_per_uom": 1, "std_cost": None, "currency": "", "lead_time_days": None,
        "moq": None, "status": "active",
    })


def retail_shipments(lines: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "shipment_id": lines["InvoiceNo"], "line_no": lines["line_no"], "order_id": "",
        "customer_id": lines["customer_id"], "erp_item": lines["StockCode"], "ship_date": lines["date"],
        "quantity": lines["Quantity"], "warehouse": "MAIN",
    }).reset_index(drop=True)


def week_start(dates: pd.Series) -> pd.Series:
    """Monday of each date's week."""
    d = pd.to_datetime(dates).dt.normalize()
    return d - pd.to_timedelta(d.dt.dayofweek, unit="D")


def weekly_calendar(first_day: pd.Timestamp, n_weeks: int) -> pd.DataFrame:
    """``master/fiscal_calendar`` with one planning period per Monday-to-Sunday week."""
    start = first_day - pd.Timedelta(days=first_day.dayofweek)
    days = pd.date_range(start, periods=7 * n_weeks, freq="D")
    k = np.arange(len(days)) // 7
    return pd.DataFrame({"date": days, "fiscal_year": WEEK_YEAR_BASE + k // 12,
                         "fiscal_period": k % 12 + 1, "fiscal_week": k % 12 + 1})


def map_online_retail(src: Path, out: Path, until: str | None = None, calendar_weeks: int = 80) -> dict[str, dict]:
    """Write items, shipments (before ``until``) and the weekly calendar; rows and sha256 per file."""
    invoices = read_invoices(Path(src))
    lines = demand_lines(invoices)
    if until is not None:
        lines = lines[lines["date"] < pd.Timestamp(until)]
    landing = Path(out) / "landing"
    return {
        "landing/erp/items.csv": write_entity(landing, "erp/items", retail_items(invoices)),
        "landing/erp/shipments.csv": write_entity(landing, "erp/shipments", retail_shipments(lines)),
        "landing/master/fiscal_calendar.csv": write_entity(
            landing, "master/fiscal_calendar", weekly_calendar(invoices["date"].min(), calendar_weeks)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sop_analytics.online_retail",
                                     description="Map UCI Online Retail to landing erp/items, erp/shipments "
                                                 "and a weekly master/fiscal_calendar.")
    parser.add_argument("--src", type=Path, required=True, help="online_retail_2010_2011.parquet")
    parser.add_argument("--out", type=Path, default=Path("data/online_retail"), help="output folder")
    parser.add_argument("--until", default=None, help="keep invoice lines before this date (YYYY-MM-DD)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for path, info in map_online_retail(args.src, args.out, args.until).items():
        print(f"{info['rows']:>9}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
