"""Shared fixtures: run dbt against a landing folder in a scratch database.

Every dbt run here gets its own database file, target and log folders, so tests never
touch the developer's build/ and can run in any order.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"


@dataclass
class DbtRun:
    """Outcome of one dbt invocation."""

    returncode: int
    output: str
    database: Path
    landing: Path | None = None

    def query(self, sql: str) -> list[tuple]:
        """Rows of a query on the built database (read-only)."""
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.sql(sql).fetchall()
        finally:
            con.close()

    def frame(self, sql: str) -> pd.DataFrame:
        """A query on the built database (read-only) as a DataFrame."""
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.sql(sql).df()
        finally:
            con.close()


def run_dbt(landing: Path, workdir: Path, *args: str, dbt_vars: dict | None = None,
            env: dict | None = None, database: Path | None = None) -> DbtRun:
    """Run `dbt <args>` (default `build`) on ``landing`` into ``workdir``/sop.duckdb."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "sop.duckdb"
    command = [str(Path(sys.executable).parent / "dbt"), *(args or ("build",)),
               "--profiles-dir", str(ROOT), "--project-dir", str(ROOT),
               "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    full_env = {**os.environ, "SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(database),
                "SOP_PARQUET_DIR": str(workdir / "parquet"),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}
    done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=1800)
    return DbtRun(done.returncode, done.stdout + done.stderr, database, landing)


PREVIOUS_CYCLES = 8  # cycles published before the current one in the multi-cycle builds


def run_cycles(landing: Path, workdir: Path, previous: int = PREVIOUS_CYCLES,
               dbt_vars: dict | None = None) -> DbtRun:
    """``python -m sop_analytics.cycles --scripted-planner``: publish ``previous`` cycles (a
    scripted planner deciding each one's proposals), then build the current one."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = workdir / "sop.duckdb"
    command = [sys.executable, "-m", "sop_analytics.cycles", "--previous", str(previous),
               "--project-dir", str(ROOT), "--scripted-planner"]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    env = {**os.environ, "SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(database),
           "SOP_PARQUET_DIR": str(workdir / "parquet"),
           "DBT_TARGET_PATH": str(workdir / "target"), "DBT_LOG_PATH": str(workdir / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    return DbtRun(done.returncode, done.stdout + done.stderr, database, landing)


def plant(manifest: dict, kind: str) -> dict:
    """The one plant of ``kind`` in a demo manifest."""
    [found] = [p for p in manifest["plants"] if p["type"] == kind]
    return found


def generate_demo(out: Path, variant: str, **sizes) -> dict:
    """Generate a demo landing folder and return its manifest."""
    from sop_analytics.demo import generate

    return generate(out, seed=42, variant=variant, **sizes)


@pytest.fixture(scope="session")
def small_planted(tmp_path_factory) -> tuple[Path, dict]:
    """A small planted demo company: (landing folder, manifest)."""
    out = tmp_path_factory.mktemp("small_planted")
    manifest = generate_demo(out, "planted", n_skus=60, n_customers=30)
    return out / "landing", manifest


@pytest.fixture(scope="session")
def planted_build(tmp_path_factory) -> tuple[DbtRun, dict]:
    """The demo company at its default size with every problem planted, built once per session:
    ``PREVIOUS_CYCLES`` cycles published before the current one, as the demo runs it.

    Default size, not small: with a handful of SKUs per family the families' price mix
    swings enough to push the three numbers apart without any plant."""
    out = tmp_path_factory.mktemp("demo_planted")
    manifest = generate_demo(out, "planted")
    landing = out / "landing"
    run = run_cycles(landing, tmp_path_factory.mktemp("planted_build"))
    assert run.returncode == 0, run.output[-5000:]
    return run, manifest


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> DbtRun:
    """The demo company at its default size with nothing planted, built once per session."""
    out = tmp_path_factory.mktemp("demo_clean")
    generate_demo(out, "clean")
    run = run_dbt(out / "landing", tmp_path_factory.mktemp("clean_build"))
    assert run.returncode == 0, run.output[-5000:]
    return run


def copy_landing(landing: Path, target: Path) -> Path:
    """A private copy of a landing folder to break."""
    shutil.copytree(landing, target)
    return target
