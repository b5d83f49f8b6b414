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


def test_review_page_figures_are_the_marts_figures(planted_build):
    """Every figure on the one-page review equals the mart it comes from."""
    run, _ = planted_build
    con = duckdb.connect(str(run.database), read_only=True)
    try:
        page = con.sql("select * from marts.rpt_sop_review").df()
        plan = con.sql("select master_family, sum(consensus_units) as units from marts.fct_consensus_plan "
                       "where horizon_step <= 3 group by 1").df().set_index("master_family")["units"]
        risks = con.sql("select risk_id, size_money from marts.rpt_risk_register where status = 'open' "
                        "order by size_money desc nulls last, risk_id limit 5").df()
        finance = con.sql("select sum(revenue) as revenue, sum(margin) as margin from marts.fct_finance_plan").df()
        accuracy = con.sql("select master_family, number_source, wape from marts.rpt_accuracy_by_number "
                           "where lag = 1 and number_source in ('consensus', 'statistical_baseline')").df()
        overdue = con.sql("select decision_id from marts.fct_leadership_decisions where is_overdue").df()
    finally:
        con.close()
    assert set(page["section"]) >= {"demand_plan", "accuracy", "risks", "finance", "decisions", "proposals"}
    demand = page[page["section"] == "demand_plan"].set_index("subject")["value"]
    pd.testing.assert_series_equal(demand.sort_index(), plan.sort_index().astype(float), check_names=False)
    shown = page[page["section"] == "risks"].sort_values("section_rank")
    assert list(shown["subject"]) == list(risks["risk_id"])
    money = page[page["section"] == "finance"].set_index("metric")["value"]
    assert money["revenue"] == pytest.approx(finance["revenue"].iloc[0], rel=1e-9)
    assert money["margin"] == pytest.approx(finance["margin"].iloc[0], rel=1e-9)
    acc = page[page["section"] == "accuracy"]
    assert len(acc) == len(accuracy)
    assert set(page.loc[page["section"] == "decisions", "subject"]) == set(overdue["decision_id"])
