"""Test helper: lay out a finished scratch build the way a published build looks.

ONLY for builds that did not publish: until the build-then-publish writer (issue 13) is
merged, a dbt build writes its marts into the database (and build/parquet via
SOP_PARQUET_DIR), not into ``<root>/<build_id>/``. Callers use this only when
``(root / 'CURRENT').exists()`` is false; the app never depends on it (it reads
``sop_analytics.published.current()``).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb


def publish_scratch_build(database: Path, root: Path, build_id: str | None = None) -> str:
    """Copy each marts table of ``database`` to ``root/<id>/parquet/<mart>.parquet``, the
    database file to ``root/<id>/sop.duckdb``, write ``manifest.json`` and then ``CURRENT``."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        [(cycle,)] = con.sql("select cycle from intermediate.int_planning_cycle").fetchall()
        marts = [r[0] for r in con.sql("select table_name from duckdb_tables() where schema_name = 'marts' "
                                      "order by table_name").fetchall()]
        build_id = build_id or f"{cycle}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}"
        folder = root / build_id
        (folder / "parquet").mkdir(parents=True)
        counts = {}
        for mart in marts:
            target = str(folder / "parquet" / f"{mart}.parquet").replace("'", "''")
            con.execute(f"copy marts.{mart} to '{target}' (format parquet)")
            counts[mart] = con.sql(f"select count(*) from marts.{mart}").fetchall()[0][0]
    finally:
        con.close()
    shutil.copyfile(database, folder / "sop.duckdb")
    manifest = {"build_id": build_id, "cycle": cycle, "built_at": datetime.now(timezone.utc).isoformat(),
                "invocation_id": None, "marts": counts, "published_by": "tests/python/app_publish.py"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    tmp = root / "CURRENT.tmp"
    tmp.write_text(build_id + "\n", encoding="utf-8")
    os.replace(tmp, root / "CURRENT")
    return build_id


def ensure_published(database: Path, root: Path) -> str:
    """The current published build of ``root``; lays one out from ``database`` only when the
    build did not publish (no ``CURRENT``)."""
    if not (root / "CURRENT").exists():
        return publish_scratch_build(database, root)
    return (root / "CURRENT").read_text(encoding="utf-8").strip()
