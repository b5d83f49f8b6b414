"""Where readers (BI tools, the pack, the planner's app) find the last good build.

The layout of the published root (env ``SOP_PUBLISH_DIR``, default ``build/published``):

    <root>/CURRENT                 one line: the folder name of the current build
    <root>/<build_id>/manifest.json
    <root>/<build_id>/parquet/<mart>.parquet
    <root>/<build_id>/sop.duckdb   a copy of the marts, for readers that want SQL

A build writes a new ``<build_id>`` folder and only then replaces ``CURRENT`` (one atomic
rename), so a reader that resolves ``CURRENT`` once and reads inside that folder never sees
a half-written file or a mix of two builds. Readers never open the database a build holds.

The writer side (``begin``, ``commit``, ``abort``) is called by the dbt project's
``on-run-end`` hook (``macros/export/publish_build.sql``) through SQL functions that the
dbt-duckdb plugin ``sop_analytics.dbt_plugin`` registers: the hook writes the Parquet set,
the database copy and the manifest with DuckDB into ``<root>/.partial-<build_id>/`` and
``commit`` then renames that folder to ``<build_id>``, replaces ``CURRENT`` atomically and
removes builds beyond the retention (var ``publish_keep``, default 3: the current one and
the two before it). Every Parquet file carries the build id in its key-value metadata
(``sop_build_id``) and the database copy in ``marts._published_build``, so a reader can
check that what it read belongs to the build the manifest names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PublishedBuild", "abort", "begin", "build_id_of_parquet", "commit", "current", "publish_root"]

PARTIAL_PREFIX = ".partial-"


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


_BUILD_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.-]{0,99}")


def _checked_id(build_id: str) -> str:
    if not _BUILD_ID.fullmatch(build_id or ""):
        raise ValueError(f"not a build id: {build_id!r} (letters, digits, '_', '.', '-')")
    return build_id


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def begin(root: str | os.PathLike, build_id: str) -> Path:
    """Create the (empty) staging folder of a new build and return it: ``<root>/.partial-<id>``
    with its ``parquet/`` folder. Readers never look there."""
    base = publish_root(root)
    partial = base / f"{PARTIAL_PREFIX}{_checked_id(build_id)}"
    if partial.exists():
        shutil.rmtree(partial)
    (partial / "parquet").mkdir(parents=True)
    return partial


def abort(root: str | os.PathLike, build_id: str) -> None:
    """Remove the staging folder of a build that will not be published."""
    shutil.rmtree(publish_root(root) / f"{PARTIAL_PREFIX}{_checked_id(build_id)}", ignore_errors=True)


def commit(root: str | os.PathLike, build_id: str, keep: int = 3) -> PublishedBuild:
    """Make the staged build current: rename ``.partial-<id>`` to ``<id>``, then replace
    ``CURRENT`` in one atomic rename (written to a temporary file, flushed, renamed), then
    remove published builds beyond the ``keep`` newest (never the current one) and staging
    folders left by interrupted builds."""
    if int(keep) < 1:
        raise ValueError(f"keep must be at least 1, not {keep!r}")
    base = publish_root(root)
    partial = base / f"{PARTIAL_PREFIX}{_checked_id(build_id)}"
    folder = base / build_id
    if not (partial / "manifest.json").is_file():
        raise FileNotFoundError(f"{partial} holds no manifest.json: nothing to publish")
    for path in partial.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    if folder.exists():
        shutil.rmtree(folder)
    os.replace(partial, folder)
    _fsync_dir(base)
    pointer = base / "CURRENT"
    temporary = base / f".CURRENT.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(build_id + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, pointer)
    _fsync_dir(base)
    _prune(base, build_id, int(keep))
    return PublishedBuild(build_id, folder)


def _prune(base: Path, current_id: str, keep: int) -> None:
    """Keep the ``keep`` newest published builds (build ids sort by time) and the current one."""
    builds = sorted(p.name for p in base.iterdir()
                    if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file())
    for name in builds[:-keep] if keep < len(builds) else []:
        if name != current_id:
            shutil.rmtree(base / name, ignore_errors=True)
    for stale in base.glob(f"{PARTIAL_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def build_id_of_parquet(path: str | os.PathLike) -> str | None:
    """The build id a published Parquet file carries in its key-value metadata."""
    import duckdb

    con = duckdb.connect()
    try:
        rows = con.execute("select decode(value) from parquet_kv_metadata(?) where decode(key) = 'sop_build_id'",
                           [str(path)]).fetchall()
    finally:
        con.close()
    return rows[0][0] if rows else None
