"""The workbench's write-back (sop_analytics.app.decisions), without a build: rows in the
contract's format, earlier rows kept byte for byte, bad input refused, concurrent writers
both land."""

from __future__ import annotations

import csv
import multiprocessing
from datetime import datetime, timezone

import pytest

from sop_analytics.app.decisions import (
    DecisionRefused, append_decision, append_leadership_decision, next_leadership_decision_id,
)
from sop_analytics.app.decisions import DECISION_COLUMNS, LEADERSHIP_COLUMNS

# an earlier file as pandas writes it (the scripted planner): a quoted rationale, no final newline
EARLIER = ('proposal_id,decision,adjusted_quantity,rationale,decided_by,decided_at\n'
           'PRP-2026-06-MD1,modify,12.5,"change of +60% is too big, take half",demo planner,2026-06-06T10:00:00')
NOW = datetime(2026, 7, 6, 9, 30, tzinfo=timezone.utc)


def _rows(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def landing(tmp_path):
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "decisions.csv").write_text(EARLIER, encoding="utf-8")
    return tmp_path


def test_decisions_are_appended_in_the_contract_format_keeping_earlier_bytes(landing):
    path = landing / "plan" / "decisions.csv"
    append_decision(landing, proposal_id="PRP-2026-07-MD2", decision="Modify", adjusted_quantity=101.25,
                    rationale="half the\nchange, \"for now\"", decided_by=" Pat ", now=NOW)
    append_decision(landing, proposal_id="PRP-2026-07-MD3", decision="accept", adjusted_quantity=None,
                    rationale="three periods beyond noise", decided_by="Pat", now=NOW)
    raw = path.read_text(encoding="utf-8")
    assert raw.startswith(EARLIER + "\n")
    assert raw.endswith("\n") and len(raw.splitlines()) == 4  # one line per row
    rows = _rows(path)
    assert list(rows[0]) == DECISION_COLUMNS
    assert rows[1] == {"proposal_id": "PRP-2026-07-MD2", "decision": "modify", "adjusted_quantity": "101.25",
                       "rationale": 'half the change, "for now"', "decided_by": "Pat",
                       "decided_at": "2026-07-06T09:30:00"}
    assert rows[2]["adjusted_quantity"] == "" and rows[2]["decision"] == "accept"


def test_a_new_file_gets_the_contract_header(tmp_path):
    append_decision(tmp_path, proposal_id="P1", decision="reject", adjusted_quantity=None, rationale="wait",
                    decided_by="Pat", now=NOW)
    assert (tmp_path / "plan" / "decisions.csv").read_text().splitlines() == [
        ",".join(DECISION_COLUMNS), "P1,reject,,wait,Pat,2026-07-06T09:30:00"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"decision": "modify", "adjusted_quantity": None}, "a modify needs the adjusted quantity"),
    ({"decision": "modify", "adjusted_quantity": float("nan")}, "a modify needs the adjusted quantity"),
    ({"decision": "modify", "adjusted_quantity": -3.0}, "0 or more"),
    ({"rationale": "  \n "}, "the rationale is empty"),
    ({"decided_by": ""}, "say who decides"),
    ({"decision": "maybe"}, "decision must be one of"),
    ({"adjusted_quantity": 5.0}, "only for a modify"),
    ({"proposal_id": "PRP-1999-01-X"}, "is not in the published build's proposals"),
])
def test_bad_input_is_refused_and_nothing_is_written(landing, kwargs, message):
    before = (landing / "plan" / "decisions.csv").read_bytes()
    args = {"proposal_id": "PRP-2026-07-MD2", "decision": "accept", "adjusted_quantity": None,
            "rationale": "ok", "decided_by": "Pat", "known_proposals": {"PRP-2026-07-MD2"}, "now": NOW} | kwargs
    with pytest.raises(DecisionRefused, match=message):
        append_decision(landing, **args)
    assert (landing / "plan" / "decisions.csv").read_bytes() == before


def test_a_later_decision_on_the_same_proposal_is_recorded_later(landing):
    for decision in ("reject", "accept"):  # the same clock second twice
        append_decision(landing, proposal_id="PRP-2026-06-MD1", decision=decision, adjusted_quantity=None,
                        rationale="again", decided_by="Pat", now=datetime(2026, 6, 6, 10, 0, tzinfo=timezone.utc))
    times = [r["decided_at"] for r in _rows(landing / "plan" / "decisions.csv")]
    assert times == ["2026-06-06T10:00:00", "2026-06-06T10:00:01", "2026-06-06T10:00:02"]


def _write_many(landing, worker, n):
    for i in range(n):
        append_decision(landing, proposal_id=f"P-{worker}-{i}", decision="reject", adjusted_quantity=None,
                        rationale=f"worker {worker}", decided_by="Pat", now=NOW)


def test_concurrent_writers_all_land(landing):
    ctx = multiprocessing.get_context("fork")
    workers = [ctx.Process(target=_write_many, args=(landing, w, 15)) for w in range(3)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
        assert w.exitcode == 0
    rows = _rows(landing / "plan" / "decisions.csv")
    assert len(rows) == 1 + 45
    assert {r["proposal_id"] for r in rows[1:]} == {f"P-{w}-{i}" for w in range(3) for i in range(15)}
    assert (landing / "plan" / "decisions.csv").read_text().startswith(EARLIER + "\n")


def test_leadership_decisions_are_appended_with_the_next_id(tmp_path):
    path = tmp_path / "plan" / "leadership_decisions.csv"
    path.parent.mkdir()
    # a v1 file: the contract's columns before the optional option_id
    v1_columns = [c for c in LEADERSHIP_COLUMNS if c != "option_id"]
    earlier = ",".join(v1_columns) + "\nLD-2026-07-1,2026-07,RSK-a: x,expedite,Ops,2026-08-01,open\n"
    path.write_text(earlier)
    assert next_leadership_decision_id(tmp_path, "2026-07") == "LD-2026-07-2"
    with pytest.raises(DecisionRefused, match="name the owner.*give a due date"):
        append_leadership_decision(tmp_path, cycle="2026-07", topic="RSK-b", decision="d", owner="", due_date=None)
    with pytest.raises(DecisionRefused, match="before the cycle starts"):
        append_leadership_decision(tmp_path, cycle="2026-07", topic="RSK-b", decision="d", owner="o",
                                   due_date="2026-06-01", earliest_due=datetime(2026, 7, 1).date())
    row = append_leadership_decision(tmp_path, cycle="2026-07", topic="RSK-b: y", decision="allocate",
                                     owner="Supply Lead", due_date="2026-07-29", option_id="OPT-2")
    assert path.read_text().startswith(earlier)
    assert _rows(path)[-1] == row == {"decision_id": "LD-2026-07-2", "cycle": "2026-07", "topic": "RSK-b: y",
                                      "decision": "allocate (option OPT-2)", "owner": "Supply Lead",
                                      "due_date": "2026-07-29", "status": "open"}
    # a file with the optional option_id column gets it filled
    path.write_text(",".join([*v1_columns, "option_id"]) + "\n")
    append_leadership_decision(tmp_path, cycle="2026-07", topic="t", decision="d", owner="o",
                               due_date="2026-07-29", option_id="OPT-1")
    assert _rows(path)[-1]["option_id"] == "OPT-1" and _rows(path)[-1]["decision"] == "d"


def test_leadership_page_shows_decisions_needed_with_options_when_published(tmp_path, monkeypatch):
    """When a build publishes rpt_decisions_needed (the Week 3 options), the page lists them and
    the option chosen is recorded with the decision (a synthetic published build, no dbt)."""
    import json

    import pandas as pd
    from streamlit.testing.v1 import AppTest

    from conftest import ROOT

    folder = tmp_path / "published" / "b1"
    (folder / "parquet").mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"cycle": "2026-07", "built_at": "2026-07-01T02:00:00Z"}))
    (tmp_path / "published" / "CURRENT").write_text("b1\n")
    pd.DataFrame({"period_id": ["2026-07"], "period_start": [pd.Timestamp("2026-07-05").date()]}).to_parquet(
        folder / "parquet" / "dim_planning_periods.parquet")
    pd.DataFrame({"decision_needed_id": ["DN-1", "DN-1"], "topic": ["R-MOLD overload in 2027-02"] * 2,
                  "option_id": ["OPT-overtime", "OPT-defer"], "cost": [12000.0, 30000.0]}).to_parquet(
        folder / "parquet" / "rpt_decisions_needed.parquet")
    landing = tmp_path / "landing"
    for key, value in {"SOP_PUBLISH_DIR": str(tmp_path / "published"), "SOP_LANDING_DIR": str(landing)}.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(str(ROOT / "src" / "sop_analytics" / "app" / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.sidebar.radio(key="page").set_value("Leadership").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Decisions needed and their options" in [s.value for s in at.subheader]
    assert at.selectbox(key="ld_topic").options[0] == "DN-1: R-MOLD overload in 2027-02"
    assert at.selectbox(key="ld_option").options == ["", "OPT-overtime", "OPT-defer"]
    at.selectbox(key="ld_option").set_value("OPT-overtime")
    at.text_area(key="ld_decision").input("approve overtime")
    at.text_input(key="ld_owner").input("Head of Operations")
    at.date_input(key="ld_due").set_value(datetime(2026, 7, 30).date())
    [b for b in at.button if b.label == "Record leadership decision"][0].click().run()
    assert not at.error, [e.value for e in at.error]
    [row] = _rows(landing / "plan" / "leadership_decisions.csv")
    assert row == {"decision_id": "LD-2026-07-1", "cycle": "2026-07", "topic": "DN-1: R-MOLD overload in 2027-02",
                   "decision": "approve overtime", "owner": "Head of Operations",
                   "due_date": "2026-07-30", "status": "open", "option_id": "OPT-overtime"}
