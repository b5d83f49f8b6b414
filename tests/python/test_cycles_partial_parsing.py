"""The cycle runner keeps dbt's partial parsing on from one cycle to the next: the cycle
reaches dbt as SOP_CYCLE, read only at run time, so every command after the first reuses
the parse (no "Unable to do partial parsing"), and each command still runs its own cycle."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

pytestmark = pytest.mark.dbt


def test_partial_parsing_stays_on_across_cycles(small_planted, tmp_path):
    landing, _ = small_planted
    database = tmp_path / "sop.duckdb"
    env = {**os.environ, "SOP_LANDING_DIR": str(landing), "SOP_DUCKDB_PATH": str(database),
           "SOP_PUBLISH_DIR": str(tmp_path / "published"),
           "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs"),
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("SOP_CYCLE", None)
    # two cycles: one earlier cycle published, then the current one (only its cycle model,
    # to keep the test short); the first command parses afresh (no saved manifest)
    command = [sys.executable, "-m", "sop_analytics.cycles", "--previous", "1", "--fresh-archive",
               "--project-dir", str(ROOT), "--", "--select", "int_planning_cycle"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    commands = [line for line in output.splitlines() if line.startswith("$ dbt ")]
    assert len(commands) == 4, commands  # seed, current cycle, the earlier cycle, the current build
    reparses = [line for line in output.splitlines() if "Unable to do partial parsing" in line]
    assert len(reparses) == 1 and "saved manifest not found" in reparses[0], reparses
    assert "--vars" not in " ".join(commands)
    log = (tmp_path / "logs" / "dbt.log").read_text()
    assert log.count("Partial parsing enabled") >= 3  # every command after the first
    assert "cycle 1 of 1 (" in output and "elapsed" in output  # the progress lines

    con = duckdb.connect(str(database), read_only=True)
    try:
        [(current,)] = con.sql("select cycle from intermediate.int_planning_cycle").fetchall()
        archived = [c for (c,) in con.sql("select distinct cycle from marts.fct_plan_archive").fetchall()]
    finally:
        con.close()
    from sop_analytics.cycles import previous_cycles

    assert archived == previous_cycles(current, 1)  # the earlier command ran the earlier cycle
    assert f"current cycle ({current})" in output
