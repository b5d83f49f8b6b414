"""Incremental forecasting: a family's outputs are reused when nothing they depend on changed.

A family's selection rows, forecast and selected backtest depend only on its own rows of
the panel (history, promotions, segments, days per period), its pins, its planned
promotions, the settings (horizon, windows, season, ML, intervals, the classification cut-offs, ...), whether it is a
long-tail or promotion family, the last history period, and the code and library versions
that fit it. :func:`family_keys` hashes all of that per family (SHA-256); a cache keyed by
that hash returns the family's outputs exactly as a fresh fit would make them (floats
stored as Parquet float64, bit for bit), so an unchanged rebuild skips refitting.

:class:`DuckDBFamilyCache` keeps the outputs in the database the build writes
(``forecast_cache.family_outputs``: ``family_hash, family, selection, forecast,
backtest, stored_at``; each output a Parquet blob), the newest few hashes per family.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CACHE_TABLE", "DuckDBFamilyCache", "MemoryFamilyCache", "code_version", "family_keys"]

CACHE_TABLE = "forecast_cache.family_outputs"
_LIBRARIES = ("numpy", "pandas", "scipy", "statsforecast", "numba", "lightgbm", "scikit-learn")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the forecasting package's source and the versions of the libraries that
    fit (a code or library change refits every family)."""
    digest = hashlib.sha256(platform.python_version().encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version};".encode())
    return digest.hexdigest()


def _update_frame(digest, frame: pd.DataFrame | pd.Series | None) -> None:
    """Feed a frame's column names, dtypes and values (in row order) to ``digest``."""
    if frame is None:
        digest.update(b"<none>")
        return
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    digest.update(f"{len(frame)}rows".encode())
    for column in frame.columns:
        values = frame[column].to_numpy()
        digest.update(f"|{column}:{values.dtype}|".encode())
        if values.dtype.kind in "biufM":
            digest.update(np.ascontiguousarray(values).tobytes())
        else:
            digest.update("\x1f".join("\x00" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)
                                      for v in values).encode())


def family_keys(panel: pd.DataFrame, *, pins: pd.DataFrame | None, long_tail: tuple[str, ...], last_ds: int,
                common: dict, future_promo: pd.DataFrame | None, days: pd.Series | None,
                conformal: bool, cutoffs: dict | None = None) -> dict[str, str]:
    """``family -> SHA-256`` of everything that family's outputs depend on (see the module)."""
    settings = {k: v for k, v in common.items() if k != "promo_families"}
    base = json.dumps({"settings": settings, "last_ds": int(last_ds), "conformal": bool(conformal),
                       "cutoffs": dict(cutoffs or {}), "code": code_version()}, sort_keys=True, default=str)
    shared = hashlib.sha256(base.encode())
    _update_frame(shared, days.sort_index() if days is not None else None)
    sku_family = panel[["unique_id", "family"]].drop_duplicates("unique_id")
    promo_by_family = {}
    if future_promo is not None and not future_promo.empty:
        tagged = future_promo.merge(sku_family, on="unique_id")
        promo_by_family = {f: g for f, g in tagged.groupby("family", sort=True)}
    pins_by_family = {}
    if pins is not None and not pins.empty:
        pins_by_family = {f: g for f, g in pins.astype(str).groupby("family", sort=True)}
    promo_families = set(common.get("promo_families") or ())
    columns = sorted(panel.columns)
    keys = {}
    for family, rows in panel.groupby("family", sort=True):
        digest = shared.copy()
        digest.update(f"|family={family}|long_tail={family in long_tail}|promo={family in promo_families}|".encode())
        _update_frame(digest, rows[columns].sort_values(["unique_id", "ds"], kind="mergesort"))
        pin_rows = pins_by_family.get(family)
        _update_frame(digest, None if pin_rows is None else pin_rows.sort_values(list(pin_rows.columns)))
        promo = promo_by_family.get(family)
        _update_frame(digest, None if promo is None else
                      promo[["unique_id", "ds", "promo_share"]].sort_values(["unique_id", "ds"], kind="mergesort"))
        keys[str(family)] = digest.hexdigest()
    return keys


def _to_parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(buffer, index=False)
    return buffer.getvalue()


def _from_parquet(blob: bytes) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(bytes(blob)))


class MemoryFamilyCache:
    """Family outputs in a dict (tests, one process); same interface as :class:`DuckDBFamilyCache`."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[bytes, bytes, bytes]] = {}

    def get(self, keys: dict[str, str]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        """The stored outputs of the families whose hash is stored."""
        return {family: tuple(_from_parquet(b) for b in self.entries[key])  # type: ignore[misc]
                for family, key in keys.items() if key in self.entries}

    def put(self, keys: dict[str, str], outputs: dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]) -> None:
        """Store each family's outputs under its hash."""
        for family, frames in outputs.items():
            self.entries[keys[family]] = tuple(_to_parquet(f) for f in frames)  # type: ignore[assignment]


class DuckDBFamilyCache:
    """Family outputs in a DuckDB table (``table``, created when missing); keeps the
    ``keep`` newest hashes of each family (one per cycle replayed, roughly)."""

    def __init__(self, con, table: str = CACHE_TABLE, keep: int = 3) -> None:
        self.con, self.table, self.keep = con, table, keep
        schema = table.split(".")[0]
        con.execute(f"create schema if not exists {schema}")
        con.execute(f"create table if not exists {table} (family_hash varchar primary key, family varchar, "
                    "selection blob, forecast blob, backtest blob, stored_at timestamp)")

    def get(self, keys: dict[str, str]) -> dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        """The stored outputs of the families whose hash is stored."""
        if not keys:
            return {}
        wanted = pd.DataFrame({"family": list(keys), "family_hash": list(keys.values())})
        self.con.register("_sop_wanted_hashes", wanted)
        try:
            rows = self.con.execute(
                f"select w.family, c.selection, c.forecast, c.backtest from _sop_wanted_hashes w "
                f"join {self.table} c on c.family_hash = w.family_hash").fetchall()
        finally:
            self.con.unregister("_sop_wanted_hashes")
        return {family: (_from_parquet(s), _from_parquet(f), _from_parquet(b)) for family, s, f, b in rows}

    def put(self, keys: dict[str, str], outputs: dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]) -> None:
        """Store each family's outputs under its hash; drop all but the ``keep`` newest per family."""
        if not outputs:
            return
        rows = [(keys[f], f, *(_to_parquet(x) for x in frames)) for f, frames in sorted(outputs.items())]
        self.con.executemany(
            f"insert or replace into {self.table} values (?, ?, ?, ?, ?, current_timestamp)", rows)
        self.con.execute(
            f"delete from {self.table} where family_hash in (select family_hash from (select family_hash, "
            f"row_number() over (partition by family order by stored_at desc, family_hash) as n "
            f"from {self.table}) where n > ?)", [self.keep])
