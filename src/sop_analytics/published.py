"""Where readers (BI tools, the pack, the planner's app) find the last good build.

The layout of the published root (env ``SOP_PUBLISH_DIR``, default ``build/published``):

    <root>/CURRENT                 one line: the folder name of the current build
    <root>/<build_id>/manifest.json
    <root>/<build_id>/parquet/<mart>.parquet
    <root>/<build_id>/sop.duckdb   a copy of the marts, for readers that want SQL

A build writes a new ``<build_id>`` folder and only then replaces ``CURRENT`` (one atomic
rename), so a reader that resolves ``CURRENT`` once and reads inside that folder never sees
a half-written file or a mix of two builds. Readers never open the database a build holds.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PublishedBuild", "current", "publish_root"]


def publish_root(root: str | os.PathLike | None = None) -> Path:
    """The published root: ``root``, else ``SOP_PUBLISH_DIR``, else ``build/published``."""
    return Path(root if root is not None else os.environ.get("SOP_PUBLISH_DIR", "build/published"))


@dataclass(frozen=True)
class PublishedBuild:
    """One published build: its folder and what it holds."""

    build_id: str
    folder: Path

    @property
    def manifest(self) -> dict:
        """``manifest.json``: the build's cycle, time, invocation and marts."""
        text = (self.folder / "manifest.json").read_text(encoding="utf-8").strip()
        if text.startswith("["):
            rows = json.loads(text)
            return rows[0] if rows else {}
        # newline-delimited JSON (one object per line, as DuckDB writes it): the first line
        return json.loads(text.splitlines()[0]) if text else {}

    @property
    def database(self) -> Path:
        """The published copy of the database (open it read-only)."""
        return self.folder / "sop.duckdb"

    def parquet(self, mart: str) -> Path:
        """The Parquet file of one mart."""
        return self.folder / "parquet" / f"{mart}.parquet"


def current(root: str | os.PathLike | None = None) -> PublishedBuild:
    """The build ``CURRENT`` names. Resolve it once per read: a later call may name a newer one."""
    base = publish_root(root)
    pointer = base / "CURRENT"
    if not pointer.is_file():
        raise FileNotFoundError(f"nothing published yet: {pointer} does not exist (run a dbt build first)")
    build_id = pointer.read_text(encoding="utf-8").strip().strip('"')
    folder = base / build_id
    if not folder.is_dir():
        raise FileNotFoundError(f"{pointer} names build {build_id!r}, but {folder} does not exist")
    return PublishedBuild(build_id, folder)
