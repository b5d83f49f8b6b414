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
    published: Path | None = None  # the publish root of the run (SOP_PUBLISH_DIR)

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
            env: dict | None = None, database: Path | None = None, project: Path = ROOT,
            published: Path | None = None) -> DbtRun:
    """Run `dbt <args>` (default `build`) on ``landing`` into ``workdir``/sop.duckdb, publishing
    into ``published`` (default ``workdir``/published); ``project``: another project folder
    (e.g. a copy with a planted failure, ``project_copy``)."""
    workdir.mkdir(parents=True, exist_ok=True)
    database = database or workdir / "sop.duckdb"
    published = published or workdir / "published"
    command = [str(Path(sys.executable).parent / "dbt"), *(args or ("build",)),
               "--profiles-dir", str(project), "--project-dir", str(project),
               "--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    if dbt_vars:
        command += ["--vars", json.dumps(dbt_vars)]
    full_env = {**os.environ, "SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(database),
                "SOP_PUBLISH_DIR": str(published),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **(env or {})}
    done = subprocess.run(command, cwd=project, env=full_env, capture_output=True, text=True, timeout=1800)
    return DbtRun(done.returncode, done.stdout + done.stderr, database, landing, published)


PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "python_models", "macros", "seeds", "tests/generic",
                 "analyses", "docs")


def project_copy(target: Path, extra: dict[str, str] | None = None) -> Path:
    """A copy of the dbt project in ``target`` with ``extra`` files added (path -> text),
    e.g. a model or a test planted to fail."""
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.exists():
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target / part)
    for path, text in (extra or {}).items():
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_text(text, encoding="utf-8")
    return target


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
           "SOP_PUBLISH_DIR": str(workdir / "published"),
           "DBT_TARGET_PATH": str(workdir / "target"), "DBT_LOG_PATH": str(workdir / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    return DbtRun(done.returncode, done.stdout + done.stderr, database, landing, workdir / "published")


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
    workdir = tmp_path_factory.mktemp("planted_build")
    run = reused_demo_build(out, workdir) or run_cycles(landing, workdir)
    assert run.returncode == 0, run.output[-5000:]
    return run, manifest


# what the scripted planner writes into the landing folder while the cycles run
PLANNER_FILES = {Path("plan/decisions.csv"), Path("plan/leadership_decisions.csv")}


def _landing_files(landing: Path) -> dict[Path, bytes]:
    return {path.relative_to(landing): path.read_bytes() for path in sorted(landing.rglob("*"))
            if path.is_file() and path.relative_to(landing) not in PLANNER_FILES}


def reused_demo_build(generated: Path, workdir: Path) -> DbtRun | None:
    """The build `scripts/check.sh` has just made of this same company, copied into
    ``workdir``, instead of building it a second time; None unless check.sh says so
    (``SOP_REUSE_DEMO_BUILD=1``) and its landing folder and manifest are byte for byte the
    ones just generated in ``generated`` (the planner's decision files aside), so a test
    never reads a build of other data."""
    if os.environ.get("SOP_REUSE_DEMO_BUILD") != "1":
        return None
    demo = ROOT / "data" / "demo"
    database, published, target = ROOT / "build" / "sop.duckdb", ROOT / "build" / "published", ROOT / "target"
    if not all(p.exists() for p in (demo / "manifest.json", database, published / "CURRENT", target / "manifest.json")):
        return None
    if (demo / "manifest.json").read_bytes() != (generated / "manifest.json").read_bytes():
        return None
    if _landing_files(demo / "landing") != _landing_files(generated / "landing"):
        return None
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(database, workdir / "sop.duckdb")
    if database.with_name(database.name + ".wal").exists():
        shutil.copy2(database.with_name(database.name + ".wal"), workdir / "sop.duckdb.wal")
    shutil.copytree(target, workdir / "target")
    shutil.copytree(published, workdir / "published")
    landing = shutil.copytree(demo / "landing", workdir / "landing")
    log = ROOT / "build" / "demo_cycles.log"
    output = log.read_text(encoding="utf-8") if log.exists() else ""
    return DbtRun(0, output, workdir / "sop.duckdb", landing, workdir / "published")


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


# --- running on several workers (pytest-xdist, `-n auto --dist loadgroup` in check.sh) -----
# A module's tests share its module-scoped builds, so they run on one worker; tests sharing
# the session's clean build run on one worker too. Only the landing corpus's one-run cases,
# whose fixture is a single small run, are spread one by one and fill the workers' gaps.
# The heaviest groups are handed out first, so no worker is left with a long one at the end.
SPREAD_FIXTURES = {"corpus"}
SHARED_SESSION_BUILDS = ("clean_build",)
HEAVY_FIRST = ("test_landing_contract.py", "test_week0.py", "test_cycles.py", "test_closed_loop.py",
               "test_closed_loop_signals.py",
               "test_app.py", "clean_build", "test_publish.py", "test_nightly.py", "test_carparts.py",
               "test_forecasting_in_dbt.py",
               "test_cycles_partial_parsing.py", "test_forecasting_online_retail.py", "test_pack.py")


def _xdist_group(item) -> str | None:
    if SPREAD_FIXTURES & set(item.fixturenames):
        return None
    for build in SHARED_SESSION_BUILDS:
        if build in item.fixturenames:
            return build
    return Path(str(item.fspath)).name


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    groups = {}
    for item in items:
        group = _xdist_group(item)
        groups[item.nodeid] = group
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    # grouped heavy work first (in HEAVY_FIRST order), then the rest in collection order, then
    # the spread cases as fillers; a stable sort keeps each module's own order
    items.sort(key=lambda item: (groups[item.nodeid] is None,
                                 rank.get(groups[item.nodeid] or "", len(rank))))
