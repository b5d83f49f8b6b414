"""The leadership review's decision log on the demo: the scripted review's decisions, with
owners and due dates, the ones that slipped flagged overdue with their age."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

pytestmark = pytest.mark.dbt


def test_decision_log_flags_what_slipped(planted_build):
    run, _ = planted_build
    con = duckdb.connect(str(run.database), read_only=True)
    try:
        log = con.sql("select * from marts.fct_leadership_decisions").df()
        [(as_of,)] = con.sql("select as_of_date from intermediate.int_planning_cycle").fetchall()
    finally:
        con.close()
    assert len(log) >= 8 and log["owner"].str.len().gt(0).all()
    overdue = log[log["is_overdue"]]
    assert len(overdue) > 0
    assert (overdue["status"] == "open").all()
    assert (overdue["due_date"] < pd.Timestamp(as_of)).all() and (overdue["days_overdue"] > 0).all()
    done = log[log["status"] == "done"]
    assert len(done) > 0 and not done["is_overdue"].any()
    assert (log["age_days"] >= 0).all()
    assert log["topic"].str.startswith("RSK-").all()  # the review decided risks from the register
