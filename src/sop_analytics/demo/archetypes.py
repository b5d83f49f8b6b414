"""A second demo company, ``--archetype distributor``: the same business and the same plants,
extracted the way another company's systems write them.

It is derived from the medical company's landing files (text in, text out), so every plant
and its manifest entry carry over, and the clean variant stays clean:

- codes: the master SKUs are prefixed (``MD10023``, named by the crosswalk); ERP writes
  digits only (``10023``) and the crosswalk lists about 90% of them, the rest are left to
  the normalization rules (the master-prefix rule); CRM writes region-suffixed codes
  (``MD10023-US``, ``MD10023_EU``, ``MD10023/UK``...). Case items as before.
- dates: the whole history moves 56 years back (20,454 days, whole weeks, so weekdays,
  month days and the 4-4-5 fiscal calendar line up): it starts in 1967, before 1995.
- the extract ends mid-period: nothing after ``CUT_DATE`` (1970-10-19, a Monday in fiscal
  period 1970-10, which ends on 1970-10-31). Order lines requested after it are open,
  later shipments, postings, receipts, snapshots, orders and submissions are not landed.
- no master/fiscal_calendar is landed: the pipeline generates it.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from .codes import normalize_code
from ..extracts import CONTRACT

SHIFT_DAYS = 20_454  # 56 years = 2,922 weeks
SHIFT_YEARS = 56
CUT_DATE = date(2026, 10, 19)  # before the shift; 1970-10-19 after it
LAST_CLOSED_PERIOD = "2026-09"
COMPANY = "Northwind Medical Distribution (demo)"
REGION_SUFFIXES = ("-US", "_EU", "/UK", "-APAC", "_LATAM")
UNLISTED_EVERY = 10  # one ERP item in 10 is not in the crosswalk (left to normalization)
ERP_CODE_COLUMNS = {"erp/items", "erp/shipments", "erp/inventory", "erp/supply", "erp/routings", "erp/ops_forecast"}
CRM_CODE_COLUMNS = {"crm/products", "crm/orders", "crm/promotions", "crm/sales_forecast"}


def _read(landing: Path, entity: str) -> pd.DataFrame:
    return pd.read_csv(landing / f"{entity}.csv", dtype=str, keep_default_na=False)


def _write(landing: Path, entity: str, frame: pd.DataFrame) -> dict:
    data = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    (landing / f"{entity}.csv").write_bytes(data)
    return {"rows": int(len(frame)), "sha256": hashlib.sha256(data).hexdigest()}


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(values.replace("", None), format="ISO8601")


def erp_digits(erp_item: str) -> str:
    """``MD-10023`` -> ``10023``."""
    return erp_item.split("-", 1)[1]


def crm_region_code(master: str, index: int) -> str:
    """``MD10023`` -> ``MD10023-US``, ``MD10023_EU``, ... by position."""
    return master + REGION_SUFFIXES[index % len(REGION_SUFFIXES)]


def _cut(frames: dict[str, pd.DataFrame]) -> None:
    """Keep only what an extract taken at the end of CUT_DATE holds."""
    cut = pd.Timestamp(CUT_DATE)
    orders = frames["crm/orders"]
    orders = orders[_dates(orders["order_date"]) <= cut].copy()
    late = (orders["status"] == "shipped") & (_dates(orders["requested_date"]) > cut)
    orders.loc[late, "status"] = "open"
    frames["crm/orders"] = orders
    ships = frames["erp/shipments"]
    frames["erp/shipments"] = ships[_dates(ships["ship_date"]) <= cut]
    gl = frames["gl/journal_lines"]
    frames["gl/journal_lines"] = gl[_dates(gl["posting_date"]) <= cut]
    inventory = frames["erp/inventory"]
    frames["erp/inventory"] = inventory[_dates(inventory["snapshot_date"]) <= cut]
    supply = frames["erp/supply"]
    supply = supply[_dates(supply["order_date"]) <= cut].copy()
    received_late = _dates(supply["received_date"]) > cut
    supply.loc[received_late, "status"] = "open"
    supply.loc[received_late, "received_date"] = ""
    frames["erp/supply"] = supply
    for entity in ("crm/sales_forecast", "erp/ops_forecast"):
        frame = frames[entity]
        frames[entity] = frame[_dates(frame["submitted_at"]) <= cut]


def _shift_dates(frames: dict[str, pd.DataFrame]) -> None:
    """Every date and timestamp SHIFT_DAYS earlier; GL fiscal years SHIFT_YEARS earlier."""
    for entity, frame in frames.items():
        for column, kind in CONTRACT[entity]:
            if kind not in ("date", "ts"):
                continue
            shifted = _dates(frame[column]) - pd.Timedelta(days=SHIFT_DAYS)
            text = shifted.dt.strftime("%Y-%m-%d" if kind == "date" else "%Y-%m-%dT%H:%M:%S")
            frame[column] = text.fillna("")
        if entity in ("gl/journal_lines", "gl/budget"):
            frame["fiscal_year"] = (frame["fiscal_year"].astype(int) - SHIFT_YEARS).astype(str)


def _recode(frames: dict[str, pd.DataFrame], plant_codes: set[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Digits-only ERP codes, region-suffixed CRM codes and a crosswalk that names every master."""
    originals = frames["erp/items"]["erp_item"].tolist()
    erp_map = {code: erp_digits(code) for code in originals}
    masters = [normalize_code(code) for code in originals]
    crosswalk = frames["master/sku_crosswalk"]
    legacy = crosswalk[crosswalk["system"] == "crm"]
    legacy_masters = set(legacy["master_sku"])
    crm_map = {}
    for index, code in enumerate(sorted(set(frames["crm/products"]["crm_product_code"]))):
        if code in plant_codes or code in set(legacy["source_code"]):
            continue
        crm_map[code] = crm_region_code(normalize_code(code), index)
    for entity in ERP_CODE_COLUMNS:
        frames[entity]["erp_item"] = frames[entity]["erp_item"].map(lambda c: erp_map.get(c, c))
    for entity in CRM_CODE_COLUMNS:
        frames[entity]["crm_product_code"] = frames[entity]["crm_product_code"].map(lambda c: crm_map.get(c, c))
    master_to_crm = {normalize_code(new): new for new in crm_map.values()}
    rows = []
    for index, (code, master) in enumerate(zip(originals, masters)):
        if index % UNLISTED_EVERY == UNLISTED_EVERY // 2:
            # ERP code left to the normalization rules; the master is named by a CRM row
            if master not in legacy_masters and master in master_to_crm:
                rows.append(("crm", master_to_crm[master], master, ""))
            continue
        rows.append(("erp", erp_map[code], master, ""))
    listed = pd.DataFrame(rows, columns=["system", "source_code", "master_sku", "master_family"])
    frames["master/sku_crosswalk"] = pd.concat(
        [legacy, listed, crosswalk[crosswalk["system"] == "gl"]], ignore_index=True)
    return erp_map, crm_map, sorted(set(masters))


_YEAR = re.compile(r"^(\d{4})(-\d{2}(?:-\d{2}(?:T[0-9:]{8})?)?)?$")


ERP_KEYS = {"erp_item", "erp_items"}
CRM_KEYS = {"crm_product_code", "real_crm_product_code", "crm_codes"}


def _shift_text(value: str, codes: dict[str, str]) -> str:
    if value in codes:
        return codes[value]
    match = _YEAR.match(value)
    if match and 1990 <= int(match.group(1)) <= 2100:
        return f"{int(match.group(1)) - SHIFT_YEARS}{match.group(2) or ''}"
    return value


def _shift_manifest(value, erp_map: dict[str, str], crm_map: dict[str, str], codes: dict[str, str] | None = None):
    """Dates and period ids 56 years back; ERP and CRM codes (under their keys) recoded."""
    codes = codes or {}
    if isinstance(value, dict):
        return {_shift_text(k, {}): _shift_manifest(v, erp_map, crm_map,
                                                    erp_map if k in ERP_KEYS else crm_map if k in CRM_KEYS else {})
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_manifest(v, erp_map, crm_map, codes) for v in value]
    if isinstance(value, str):
        return _shift_text(value, codes)
    return value


def to_distributor(out_dir: Path, manifest: dict) -> dict:
    """Rewrite the landing folder under ``out_dir`` as the distributor's extracts; return its manifest."""
    landing = Path(out_dir) / "landing"
    entities = [e for e in CONTRACT if e != "master/fiscal_calendar"]
    frames = {entity: _read(landing, entity) for entity in entities}
    plant_codes = {c for p in manifest["plants"] for c in p.get("crm_codes", [])}
    _cut(frames)
    erp_map, crm_map, masters = _recode(frames, plant_codes)
    _shift_dates(frames)
    (landing / "master" / "fiscal_calendar.csv").unlink()
    files = {f"landing/{entity}.csv": _write(landing, entity, frames[entity]) for entity in entities}
    history_end = CUT_DATE - timedelta(days=SHIFT_DAYS)
    shifted = _shift_manifest({k: v for k, v in manifest.items() if k not in ("files", "seed", "n_skus", "n_customers")},
                              erp_map, crm_map)
    return {
        **shifted,
        "archetype": "distributor",
        "company": COMPANY,
        "seed": manifest["seed"], "n_skus": manifest["n_skus"], "n_customers": manifest["n_customers"],
        "history_start": (date.fromisoformat(manifest["history_start"]) - timedelta(days=SHIFT_DAYS)).isoformat(),
        "history_end": history_end.isoformat(),
        "extract_ends_mid_period": True,
        "last_closed_period": _shift_text(LAST_CLOSED_PERIOD, {}),
        "landed_fiscal_calendar": False,
        "master_skus": masters,
        "expected_quarantine_rows": manifest.get("expected_quarantine_rows", {}),
        "files": files,
    }


def write_manifest(out_dir: Path, manifest: dict) -> dict:
    """Write ``manifest.json`` and read it back (plain JSON types)."""
    path = Path(out_dir) / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8"))
