"""The cycle runner keeps dbt's partial parsing on from one cycle to the next: the cycle
reaches dbt as SOP_CYCLE, read only at run time, so every command after the first reuses
the parse (no "Unable to do partial parsing"), and each command still runs its own cycle.
After the first earlier cycle, only the cycle-dependent models rerun (cycles.CYCLE_ROOTS),
and the archives are those of a replay that reruns everything in every cycle."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT, copy_landing

pytestmark = pytest.mark.dbt

ARCHIVES = ("marts.fct_plan_archive", "marts.fct_plan_proposals", "marts.fct_consensus_plan_archive",
            "marts.fct_risk_register_history", "intermediate.int_forecast_backtest_archive")
RUN_STAMPS = {"invocation_id", "built_at"}


def _replay(landing: Path, work: Path, *extra: str) -> tuple[str, Path]:
    """Two earlier cycles (the scripted planner deciding each), then the current one (only its
    cycle model, to keep the test short); the first command parses afresh (no saved manifest)."""
    database = work / "sop.duckdb"
    env = {**os.environ, "SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(database),
           "SOP_PUBLISH_DIR": str(work / "published"),
           "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("SOP_CYCLE", None)
    command = [sys.executable, "-m", "sop_analytics.cycles", "--previous", "2", "--fresh-archive",
               "--scripted-planner", "--project-dir", str(ROOT), *extra, "--", "--select", "int_planning_cycle"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    return output, database


def _rows(database: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        cols = [c for (c,) in con.sql(f"select column_name from (describe {table})").fetchall() if c not in RUN_STAMPS]
        return con.sql(f"select {', '.join(cols)} from {table} order by all").fetchall()
    finally:
        con.close()


def test_partial_parsing_stays_on_across_cycles(small_planted, tmp_path):
    landing, _ = small_planted
    output, database = _replay(copy_landing(landing, tmp_path / "landing"), tmp_path)
    commands = [line for line in output.splitlines() if line.startswith("$ dbt ")]
    assert len(commands) == 5, commands  # seed, current cycle, 2 earlier cycles, the current build
    reparses = [line for line in output.splitlines() if "Unable to do partial parsing" in line]
    assert len(reparses) == 1 and "saved manifest not found" in reparses[0], reparses
    assert "--vars" not in " ".join(commands)
    log = (tmp_path / "logs" / "dbt.log").read_text()
    assert log.count("Partial parsing enabled") >= 4  # every command after the first
    assert "cycle 2 of 2 (" in output and "elapsed" in output  # the progress lines

    # the second earlier cycle reran only the cycle-dependent models: the checked extracts
    # were built once, in the first
    first, second = output.split("== cycle 2 of 2 (")[0], output.split("== cycle 2 of 2 (")[1].split("== current")[0]
    assert "int_planning_cycle+,+fct_plan_archive" in commands[3] and "+," not in commands[2]
    built = re.compile(r"OK created sql table model intermediate\.int_orders_checked ")
    assert built.search(first) and not built.search(second)
    assert re.search(r"OK created python table model intermediate\.int_forecast_outputs ", second)

    con = duckdb.connect(str(database), read_only=True)
    try:
        [(current,)] = con.sql("select cycle from intermediate.int_planning_cycle").fetchall()
        archived = [c for (c,) in con.sql("select distinct cycle from marts.fct_plan_archive order by 1").fetchall()]
    finally:
        con.close()
    from sop_analytics.cycles import previous_cycles

    assert archived == previous_cycles(current, 2)  # each earlier command ran its own cycle
    assert f"current cycle ({current})" in output

    # the same archives as a replay that reruns every upstream model in every cycle
    full_work = tmp_path / "full"
    full_work.mkdir()
    full_output, full_database = _replay(copy_landing(landing, full_work / "landing"), full_work, "--full-cycles")
    assert built.search(full_output.split("== cycle 2 of 2 (")[1].split("== current")[0])
    for table in ARCHIVES:  # a small company may have no proposal: those are equal, both empty
        rows = _rows(database, table)
        assert rows or table == "marts.fct_plan_proposals", table
        assert rows == _rows(full_database, table), table
    for name in ("decisions.csv", "leadership_decisions.csv"):
        assert (tmp_path / "landing" / "plan" / name).read_bytes() == \
            (full_work / "landing" / "plan" / name).read_bytes()
