"""Deterministic CSV writing of the landing contract's entities (columns from the sources YAML).

Numbers are written with a fixed number of decimals per column (never scientific notation,
at most 4 decimals); dates as YYYY-MM-DD; empty cell = null; rows sorted by primary key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from . import contract

# Fixed decimals the demo writes these number columns with (the contract only says `num`);
# any other `num` column is written as a whole number, or with up to 4 decimals if it has a
# fraction.
DECIMALS: dict[tuple[str, str], int] = {
    ("crm/products", "list_price"): 2,
    ("crm/orders", "unit_price"): 2,
    ("erp/items", "std_cost"): 2,
    ("erp/capacity", "available_hours"): 1,
    ("erp/routings", "hours_per_unit"): 4,
    ("erp/ops_forecast", "quantity"): 1,
    ("gl/journal_lines", "amount"): 2,
    ("gl/budget", "revenue"): 2,
    ("gl/budget", "cogs"): 2,
}


def _kind(entity: str, column: contract.Column) -> str:
    if column.contract_type == "num" and (entity, column.name) in DECIMALS:
        return f"num{DECIMALS[entity, column.name]}"
    return column.contract_type


# The extracts a company lands (the contract's entities but the planner's own plan/ files):
# (column, kind) per entity in contract order, read from the sources YAML
# (sop_analytics.contract); kind: str, int, date, ts, numN (N decimals) or num (whole
# numbers without decimals, otherwise up to 4 decimals with trailing zeros dropped)
CONTRACT: dict[str, tuple[tuple[str, str], ...]] = {
    key: tuple((column.name, _kind(key, column)) for column in item.columns)
    for key, item in contract.entities().items() if item.system != "plan"
}

PRIMARY_KEYS: dict[str, tuple[str, ...]] = {key: contract.entity(key).primary_key for key in CONTRACT}


def contract_columns(entity: str) -> list[str]:
    """Column names of ``entity`` (e.g. ``"erp/items"``) in contract order."""
    return contract.columns(entity)


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
        text[text == "-0"] = "0"  # as a whole number is written: a cell's text is its value's alone
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


def landing_order(entity: str, frame: pd.DataFrame) -> np.ndarray:
    """Row positions of ``frame`` sorted by the primary key of ``entity`` (stable)."""
    keys = list(PRIMARY_KEYS[entity])
    return np.lexsort([frame[k].astype(str).to_numpy() if frame[k].dtype == object else frame[k].to_numpy()
                       for k in reversed(keys)])


def format_frame(entity: str, frame: pd.DataFrame) -> pd.DataFrame:
    """All-text frame with exactly the contract columns of ``entity``, in ``frame``'s row order."""
    return pd.DataFrame({name: format_column(frame[name], kind) for name, kind in CONTRACT[entity]})


def to_landing_text(entity: str, frame: pd.DataFrame) -> pd.DataFrame:
    """All-text frame with exactly the contract columns of ``entity``, sorted by primary key."""
    return format_frame(entity, frame).iloc[landing_order(entity, frame)].reset_index(drop=True)


# Rows formatted and written at a time: the text of a row is about ten times its numbers,
# so a whole large extract formatted at once would hold several times the frame in memory
WRITE_CHUNK_ROWS = 250_000


def write_entity(landing: Path, entity: str, frame: pd.DataFrame, chunk_rows: int = WRITE_CHUNK_ROWS) -> dict:
    """Write ``<landing>/<entity>.csv`` (UTF-8, comma, header, '\\n') and return rows and sha256.

    The rows are sorted by primary key, then formatted and written ``chunk_rows`` at a time;
    the file is byte for byte the one a single pass would write (each cell's text depends
    only on its own value)."""
    path = landing / f"{entity}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    order = landing_order(entity, frame)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for start in range(0, max(len(order), 1), chunk_rows):
            text = format_frame(entity, frame.iloc[order[start:start + chunk_rows]])
            data = text.to_csv(index=False, header=start == 0, lineterminator="\n").encode("utf-8")
            out.write(data)
            digest.update(data)
    return {"rows": int(len(order)), "sha256": digest.hexdigest()}
