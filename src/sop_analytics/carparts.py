"""Map the car parts demand set (Hyndman et al. 2008) to the landing contract.

    python -m sop_analytics.carparts --src ../shared/data/carparts_long.csv --out data/carparts

Input: long CSV with columns ``part``, ``month`` (YYYY-MM), ``demand``; a missing row means
zero demand. Output, as a user's extract job would write it, only
``<out>/landing/erp/items.csv`` and ``<out>/landing/erp/shipments.csv``:

- items: one row per part (``erp_item`` = part exactly as written, leading zeros kept),
  family ``CAR_PARTS``, uom ``EA``, units_per_uom 1, status ``active``; std_cost, currency,
  lead_time_days and moq are unknown and left empty.
- shipments: one line per part-month with demand > 0: shipment_id ``CP-<part>-<YYYYMM>``,
  line_no 1, order_id empty, customer_id ``UNKNOWN``, ship_date = first day of the month,
  quantity = demand, warehouse ``MAIN``.

``--shift-years N`` dates every shipment N years earlier (the tests use 10: 1988-1992,
before the 1995 a calendar var used to start at).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .extracts import write_entity

FAMILY = "CAR_PARTS"


def read_long(src: Path) -> pd.DataFrame:
    """Read the long file keeping ``part`` and ``month`` as text; demand as a number (blank = 0)."""
    frame = pd.read_csv(src, dtype={"part": str, "month": str}, keep_default_na=False)
    missing = {"part", "month", "demand"} - set(frame.columns)
    if missing:
        raise ValueError(f"{src}: missing column(s) {sorted(missing)}")
    frame["part"] = frame["part"].str.strip()
    frame["month"] = frame["month"].str.strip()
    frame["demand"] = pd.to_numeric(frame["demand"].replace("", "0"), errors="raise")
    return frame


def carparts_items(long: pd.DataFrame) -> pd.DataFrame:
    """One active EA item per distinct part, including parts that never had demand."""
    parts = sorted(long["part"].unique())
    return pd.DataFrame({
        "erp_item": parts,
        "description": [f"Car part {p}" for p in parts],
        "family": FAMILY,
        "uom": "EA",
        "units_per_uom": 1,
        "std_cost": None,
        "currency": "",
        "lead_time_days": None,
        "moq": None,
        "status": "active",
    })


def carparts_shipments(long: pd.DataFrame, shift_years: int = 0) -> pd.DataFrame:
    """One shipment line per part-month with demand > 0, shipped on the 1st of the month,
    ``shift_years`` years earlier than the data says (0: as written)."""
    positive = long[long["demand"] > 0].copy()
    month = pd.to_datetime(positive["month"] + "-01", format="%Y-%m-%d") - pd.DateOffset(years=shift_years)
    return pd.DataFrame({
        "shipment_id": "CP-" + positive["part"] + "-" + month.dt.strftime("%Y%m"),
        "line_no": 1,
        "order_id": "",
        "customer_id": "UNKNOWN",
        "erp_item": positive["part"],
        "ship_date": month,
        "quantity": positive["demand"],
        "warehouse": "MAIN",
    }).reset_index(drop=True)


def map_carparts(src: Path, out: Path, shift_years: int = 0) -> dict[str, dict]:
    """Write ``<out>/landing/erp/items.csv`` and ``shipments.csv`` (dates ``shift_years``
    earlier); return rows and sha256 per file."""
    long = read_long(Path(src))
    landing = Path(out) / "landing"
    return {
        "landing/erp/items.csv": write_entity(landing, "erp/items", carparts_items(long)),
        "landing/erp/shipments.csv": write_entity(landing, "erp/shipments", carparts_shipments(long, shift_years)),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m sop_analytics.carparts",
                                     description="Map carparts_long.csv to landing erp/items and erp/shipments.")
    parser.add_argument("--src", type=Path, required=True, help="carparts_long.csv (part, month, demand)")
    parser.add_argument("--out", type=Path, default=Path("data/carparts"), help="output folder")
    parser.add_argument("--shift-years", type=int, default=0,
                        help="date the shipments this many years earlier (e.g. 10: 1988-1992)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for path, info in map_carparts(args.src, args.out, args.shift_years).items():
        print(f"{info['rows']:>9}  {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
