"""The UCI Online Retail adapter used by the real-data benchmark: which invoice lines are
demand, and the weekly planning calendar it lands."""

from __future__ import annotations

import pandas as pd

from sop_analytics.online_retail import demand_lines, read_invoices, weekly_calendar


def _invoices(tmp_path) -> pd.DataFrame:
    rows = [  # InvoiceNo, StockCode, Quantity, InvoiceDate, CustomerID
        ("536365", "85123A", 6, "2010-12-01 08:26", 17850.0),
        ("536366", "22633", 80995, "2010-12-09 09:15", 16446.0),   # cancelled the same day
        ("C536367", "22633", -80995, "2010-12-09 09:27", 16446.0),
        ("536368", "22633", 12, "2010-12-10 10:00", 16446.0),      # same code, other quantity: kept
        ("C536369", "84406B", -3, "2010-12-10 11:00", 12583.0),    # cancels nothing in the data
        ("536370", "POST", 1, "2010-12-10 12:00", 12583.0),        # postage, not a product
        ("536371", "71053", 4, "2010-12-11 12:00", None),          # no customer id
    ]
    frame = pd.DataFrame(rows, columns=["InvoiceNo", "StockCode", "Quantity", "InvoiceDate", "CustomerID"])
    frame["InvoiceDate"] = pd.to_datetime(frame["InvoiceDate"])
    frame["Description"] = "x"
    frame.to_parquet(tmp_path / "invoices.parquet")
    return read_invoices(tmp_path / "invoices.parquet")


def test_demand_is_positive_product_lines_less_the_ones_cancelled(tmp_path) -> None:
    lines = demand_lines(_invoices(tmp_path))
    assert lines["InvoiceNo"].tolist() == ["536365", "536368", "536371"]
    assert lines.loc[lines["InvoiceNo"] == "536371", "customer_id"].item() == "UNKNOWN"


def test_weekly_calendar_has_seven_day_periods_in_week_order() -> None:
    cal = weekly_calendar(pd.Timestamp("2010-12-01"), 30)
    assert cal["date"].iloc[0] == pd.Timestamp("2010-11-29")  # the Monday of the first invoice's week
    period_id = cal["fiscal_year"].astype(str) + "-" + cal["fiscal_period"].astype(str).str.zfill(2)
    sizes = period_id.value_counts()
    assert len(sizes) == 30 and (sizes == 7).all()
    assert cal["fiscal_period"].between(1, 12).all()
    # period ids sort in date order, so the dbt calendar numbers them in week order
    first_day = cal.groupby(period_id)["date"].min()
    assert first_day.is_monotonic_increasing
