"""Build, then publish: a run publishes only when every node succeeded; after any failure
(an exception in the last model, a test failing at severity error, a crash) the published
marts and every published Parquet file are exactly the previous good build's, and the work
database's archives and landed tables are put back; a reader polling the published set
during two builds never sees an error or a mix of two builds.

Cheap on purpose: every run here builds `+fct_plan_archive` (the landing hook, the
forecast and an append-only archive) with var `publish: true` in a copy of the project
that holds the planted failures (tests/python/conftest.py::project_copy); a plain
`dbt build` publishing is shown by test_bi_ready.py (the planted build)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from conftest import copy_landing, project_copy, run_dbt
from sop_analytics.cycles import previous_cycles
from sop_analytics.published import current

pytestmark = pytest.mark.dbt

PLANTED = {
    "models/planted/zz_fail_last.sql": (
        "select n, error('planted failure in the last model') as failure\n"
        "from (select count(*) as n from {{ ref('fct_plan_archive') }}) as archive\n"),
    "python_models/planted/zz_crash.py": (
        "def model(dbt, session):\n"
        "    dbt.config(materialized='table')\n"
        "    archive = dbt.ref('fct_plan_archive')\n"
        "    import os\n"
        "    os._exit(3)  # the process dies: no on-run-end hook\n"
        "    return archive\n"),
    "tests/planted/zz_archive_holds_no_rows.sql": "select * from {{ ref('fct_plan_archive') }}\n",
}
SELECTION = ["--select", "+fct_plan_archive"]

READER = r"""
import json, sys, time
from pathlib import Path
import duckdb
from sop_analytics.published import current, build_id_of_parquet

root, stop, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
reads, errors, mixes, seen, waiting = 0, [], [], [], 0
deadline = time.monotonic() + 900  # bounded
while not stop.exists() and time.monotonic() < deadline:
    try:
        build = current(root)
    except FileNotFoundError:
        waiting += 1
        time.sleep(0.05)
        continue
    try:
        manifest = build.manifest
        expected = {m["name"]: m["rows"] for m in manifest["marts"]}
        con = duckdb.connect()
        for mart, rows in expected.items():
            path = str(build.parquet(mart))
            [(n,)] = con.execute("select count(*) from read_parquet(?)", [path]).fetchall()
            tag = build_id_of_parquet(path)
            if tag != manifest["build_id"] or n != rows:
                mixes.append([manifest["build_id"], mart, tag, n, rows])
        con.close()
        db = duckdb.connect(str(build.database), read_only=True)
        [(tag,)] = db.execute("select build_id from published.build").fetchall()
        counts = {m: db.execute(f'select count(*) from marts."{m}"').fetchall()[0][0] for m in expected}
        db.close()
        if tag != manifest["build_id"] or counts != expected:
            mixes.append([manifest["build_id"], "sop.duckdb", tag])
        reads += 1
        if not seen or seen[-1] != manifest["build_id"]:
            seen.append(manifest["build_id"])
    except Exception as error:
        errors.append(f"{type(error).__name__}: {error}")
    time.sleep(0.02)
out.write_text(json.dumps({"reads": reads, "errors": errors, "mixes": mixes, "seen": seen, "waiting": waiting}))
"""


def published_fingerprint(root: Path) -> dict:
    """What readers see: CURRENT, the manifest, the bytes of every Parquet file and an md5
    of every mart's ordered rows in the published database copy."""
    build = current(root)
    con = duckdb.connect(str(build.database), read_only=True)
    try:
        marts = [t for (t,) in con.sql("select table_name from duckdb_tables() where schema_name = 'marts' "
                                       "order by 1").fetchall()]
        rows = {m: con.sql(f"select md5(coalesce(string_agg(cast(t as varchar), '|' order by cast(t as varchar)), ''))"
                           f" from marts.\"{m}\" as t").fetchall()[0][0] for m in marts}
    finally:
        con.close()
    files = {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(root.rglob("*")) if p.is_file()}
    return {"current": (root / "CURRENT").read_text(), "marts": rows, "files": files}


def work_state(database: Path) -> dict:
    """md5 of the append-only archive and of every landed table in the work database."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = [("marts", "fct_plan_archive")] + [
            ("landing", t) for (t,) in con.sql("select table_name from duckdb_tables() where schema_name = 'landing' "
                                                "order by 1").fetchall()]
        return {f"{s}.{t}": con.sql(
            f"select count(*), md5(coalesce(string_agg(cast(x as varchar), '|' order by cast(x as varchar)), '')) "
            f"from {s}.\"{t}\" as x").fetchall()[0] for s, t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def publishing(small_planted, tmp_path_factory):
    """Two good runs with a reader polling the published set, then the failures."""
    tmp = tmp_path_factory.mktemp("publish")
    project = project_copy(tmp / "project", PLANTED)
    landing = copy_landing(small_planted[0], tmp / "landing")
    work = tmp / "run"
    stop, out = tmp / "stop", tmp / "reader.json"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(work / "published"), str(stop), str(out)])
    seeded = run_dbt(landing, work, "seed", project=project)  # `dbt run` does not load the seeds models read
    assert seeded.returncode == 0, seeded.output[-3000:]
    try:
        first = run_dbt(landing, work, "run", *SELECTION, dbt_vars={"publish": True}, project=project)
        assert first.returncode == 0, first.output[-3000:]
        cycle = current(first.published).manifest["cycle"]
        second = run_dbt(landing, work, "run", *SELECTION, dbt_vars={"publish": True, "cycle": previous_cycles(cycle, 1)[0]},
                         project=project)
        assert second.returncode == 0, second.output[-3000:]
        time.sleep(1)
    finally:
        stop.touch()
        reader.wait(timeout=120)
    return {"project": project, "landing": landing, "work": work, "cycle": cycle, "second": second,
            "reader": json.loads(out.read_text())}


def test_a_good_run_publishes_a_new_build_and_keeps_the_previous(publishing):
    root = publishing["second"].published
    builds = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert len(builds) == 2 and current(root).build_id == builds[-1]
    manifests = [json.loads((root / b / "manifest.json").read_text()) for b in builds]
    assert [m["cycle"] for m in manifests] == [publishing["cycle"], previous_cycles(publishing["cycle"], 1)[0]]


def test_a_reader_during_two_builds_sees_no_error_and_never_a_mix(publishing):
    seen = publishing["reader"]
    assert seen["errors"] == []
    assert seen["mixes"] == []
    assert seen["reads"] > 0 and len(seen["seen"]) == 2, seen


def break_the_landing(landing: Path) -> None:
    """New input that a good run would publish: every order quantity doubled."""
    path = landing / "crm" / "orders.csv"
    orders = pd.read_csv(path, dtype=str, keep_default_na=False)
    orders["quantity"] = [str(float(q) * 2) if q else q for q in orders["quantity"]]
    orders.to_csv(path, index=False)


@pytest.mark.parametrize("failure, args", [
    ("last model raises", ["run", *SELECTION, "zz_fail_last"]),
    ("error test fails", ["build", *SELECTION, "zz_archive_holds_no_rows"]),
    ("crash", ["run", *SELECTION, "zz_crash"]),
])
def test_a_failed_run_changes_nothing_readers_see(publishing, tmp_path, failure, args):
    work, project = publishing["work"], publishing["project"]
    landing = copy_landing(publishing["landing"], tmp_path / "landing")
    break_the_landing(landing)
    before, state = published_fingerprint(work / "published"), work_state(work / "sop.duckdb")
    new_cycle = previous_cycles(publishing["cycle"], 2)[0]
    run = run_dbt(landing, work, *args, dbt_vars={"publish": True, "cycle": new_cycle}, project=project)
    assert run.returncode != 0
    assert published_fingerprint(work / "published") == before
    if failure != "crash":
        assert "Not published" in run.output
    else:  # the next run puts the archive and landed tables back before anything else
        again = run_dbt(publishing["landing"], work, "run", "--select", "stg_erp__items", project=project)
        assert again.returncode == 0, again.output[-3000:]
        assert "previous run did not finish" in again.output
    assert work_state(work / "sop.duckdb") == state


def test_the_same_run_without_the_failure_would_have_published(publishing, tmp_path):
    """The failed runs above were meaningful: the same input, without the planted failure, changes
    the published marts and the archive."""
    work, project = publishing["work"], publishing["project"]
    landing = copy_landing(publishing["landing"], tmp_path / "landing")
    break_the_landing(landing)
    before, state = published_fingerprint(work / "published"), work_state(work / "sop.duckdb")
    run = run_dbt(landing, work, "run", *SELECTION, dbt_vars={"publish": True, "cycle": previous_cycles(publishing["cycle"], 2)[0]},
                  project=project)
    assert run.returncode == 0, run.output[-3000:]
    after = published_fingerprint(work / "published")
    assert after["current"] != before["current"]
    assert after["marts"]["fct_plan_archive"] != before["marts"]["fct_plan_archive"]
    assert work_state(work / "sop.duckdb") != state
