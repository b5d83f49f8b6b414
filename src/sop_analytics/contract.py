"""The landing contract, read from where dbt reads it: the sources YAML of the staging layer
(``models/staging/<system>/_<system>__sources.yml``, ``schema: landing``).

Each table is an entity ``<system>/<name>`` (its file is ``<landing>/<system>/<name>.csv``
or ``.parquet``); its ``meta`` says whether it is ``required`` and its ``primary_key``; each
column's ``meta.contract_type`` is one of ``str``, ``int``, ``num``, ``date``, ``ts``, with
``contract_min`` and ``optional_column`` where set. Columns starting with ``_`` are added by
the landing hook, not part of the extract.

The demo generator, the car parts adapter and the cycle runner read the contract here, so
a column added to the YAML reaches all of them; nothing in Python lists the columns again.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

__all__ = ["Column", "Entity", "columns", "entities", "entity", "project_dir"]

CONTRACT_TYPES = ("str", "int", "num", "date", "ts")


@dataclass(frozen=True)
class Column:
    name: str
    contract_type: str
    optional: bool = False
    minimum: float | None = None


@dataclass(frozen=True)
class Entity:
    system: str
    name: str
    required: bool
    primary_key: tuple[str, ...]
    columns: tuple[Column, ...]

    @property
    def key(self) -> str:
        return f"{self.system}/{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def project_dir() -> Path:
    """The dbt project: env ``SOP_PROJECT_DIR``, else the checkout this package lives in."""
    configured = os.environ.get("SOP_PROJECT_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parents[2]


@functools.lru_cache(maxsize=4)
def _load(staging: Path) -> dict[str, Entity]:
    found: dict[str, Entity] = {}
    files = sorted(staging.glob("*/_*__sources.yml"))
    if not files:
        raise FileNotFoundError(f"no landing sources YAML under {staging} (expected <system>/_<system>__sources.yml)")
    for path in files:
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources", []):
            if source.get("schema") != "landing" or source["name"] == "landing":
                continue
            for table in source.get("tables", []):
                meta = table.get("meta") or {}
                cols = []
                for column in table.get("columns", []):
                    if column["name"].startswith("_"):
                        continue
                    cmeta = column.get("meta") or {}
                    kind = cmeta.get("contract_type", "str")
                    if kind not in CONTRACT_TYPES:
                        raise ValueError(f"{path}: {source['name']}.{table['name']}.{column['name']}: "
                                         f"contract_type {kind!r} is not one of {', '.join(CONTRACT_TYPES)}")
                    cols.append(Column(column["name"], kind, bool(cmeta.get("optional_column", False)),
                                       cmeta.get("contract_min")))
                item = Entity(source["name"], table["name"], bool(meta.get("required", False)),
                              tuple(meta.get("primary_key") or ()), tuple(cols))
                found[item.key] = item
    return found


def entities(project: Path | None = None) -> dict[str, Entity]:
    """Every entity of the contract, in the YAML's order (systems by folder name)."""
    return _load((project or project_dir()) / "models" / "staging")


def entity(key: str, project: Path | None = None) -> Entity:
    """One entity, e.g. ``entity("erp/items")``."""
    known = entities(project)
    if key not in known:
        raise KeyError(f"{key!r} is not an entity of the landing contract; known: {', '.join(known)}")
    return known[key]


def columns(key: str, project: Path | None = None) -> list[str]:
    """Column names of an entity in contract order."""
    return entity(key, project).column_names
