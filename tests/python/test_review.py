"""The leadership review's decision log on the demo: the scripted review's decisions, with
owners and due dates, the ones that slipped flagged overdue with their age."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.dbt


def test_decision_log_flags_what_slipped(planted_build):
    run, _ = planted_build
    log = run.frame("select * from marts.fct_leadership_decisions")
    [(as_of,)] = run.query("select as_of_date from intermediate.int_planning_cycle")
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
    page = run.frame("select * from marts.rpt_sop_review")
    plan = run.frame("select master_family, sum(consensus_units) as units from marts.fct_consensus_plan "
                     "where horizon_step <= 3 group by 1").set_index("master_family")["units"]
    risks = run.frame("select risk_id, size_money from marts.rpt_risk_register where status = 'open' "
                      "order by size_money desc nulls last, risk_id limit 5")
    finance = run.frame("select sum(revenue) as revenue, sum(margin) as margin from marts.fct_finance_plan")
    accuracy = run.frame("select master_family, number_source, wape from marts.rpt_accuracy_by_number "
                         "where lag = 1 and number_source in ('consensus', 'statistical_baseline')")
    overdue = run.frame("select decision_id from marts.fct_leadership_decisions where is_overdue")
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


def test_review_page_shows_inventory_at_period_ends_not_summed(planted_build):
    run, _ = planted_build
    page = run.frame("select metric, value from marts.rpt_sop_review where section = 'finance'")
    steps = run.frame("select horizon_step, sum(inventory_value) as inventory, sum(working_capital) as wc "
                      "from marts.fct_finance_plan group by 1 order by 1")
    money = page.set_index("metric")["value"]
    assert money["inventory value, end of the next period"] == pytest.approx(steps["inventory"].iloc[0], rel=1e-9)
    assert money["inventory value, end of the horizon"] == pytest.approx(steps["inventory"].iloc[-1], rel=1e-9)
    assert money["working capital, end of the horizon"] == pytest.approx(steps["wc"].iloc[-1], rel=1e-9)
    assert money["inventory value, end of the next period"] != pytest.approx(steps["inventory"].sum())


def test_family_plan_intervals_combine_the_sku_intervals(planted_build):
    """The family band is the root of summed squared SKU half-widths: wider than any one
    SKU's, narrower than their plain sum, nested 80% inside 95%, around the consensus."""
    run, _ = planted_build
    fam = run.frame("select * from marts.rpt_family_demand_plan")
    skus = run.frame("select master_family, period_id, sum(consensus_units) as units, "
                     "max(hi_95 - consensus_units) as widest, sum(hi_95 - consensus_units) as summed, "
                     "sqrt(sum(power(hi_95 - consensus_units, 2))) as rss "
                     "from marts.fct_consensus_plan group by 1, 2")
    history = run.frame("select master_family, period_id, sum(demand_units) as demand "
                        "from intermediate.int_demand_history_by_sku_period group by 1, 2")
    plan = fam[fam["row_kind"] == "plan"].merge(skus, on=["master_family", "period_id"], how="outer", indicator=True)
    assert (plan["_merge"] == "both").all() and len(plan) > 0
    assert (plan["consensus_units"] - plan["units"]).abs().max() < 1e-6
    upper = plan["hi_95"] - plan["consensus_units"]
    assert (upper - plan["rss"]).abs().max() < 1e-6
    assert (upper >= plan["widest"] - 1e-9).all() and (upper <= plan["summed"] + 1e-9).all()
    assert (upper < plan["summed"] - 1e-6).any()  # the SKU errors are not added up as if all went one way
    assert (plan["lo_95"] <= plan["lo_80"] + 1e-9).all() and (plan["lo_80"] <= plan["consensus_units"] + 1e-9).all()
    assert (plan["consensus_units"] <= plan["hi_80"] + 1e-9).all() and (plan["hi_80"] <= plan["hi_95"] + 1e-9).all()
    assert (plan["lo_95"] >= 0).all()
    past = fam[fam["row_kind"] == "history"].merge(history, on=["master_family", "period_id"])
    assert len(past) == (fam["row_kind"] == "history").sum() > 0
    assert (past["demand_units"] - past["demand"]).abs().max() < 1e-6
    assert past[["lo_80", "hi_80", "lo_95", "hi_95", "consensus_units"]].isna().all().all()
    assert past.groupby("master_family")["period_id"].nunique().max() == 24


def test_decision_log_names_the_option_and_the_risk_it_closes(planted_build):
    """The scripted review names the option it picks (plan/leadership_decisions.option_id,
    an optional landing column): the log shows it with its risk and that risk's status,
    and an option of a risk still open is one fct_scenario_options prices."""
    run, _ = planted_build
    log = run.frame("select * from marts.fct_leadership_decisions")
    register = run.frame("select risk_id, status from marts.rpt_risk_register").set_index("risk_id")["status"]
    named = log[log["option_id"].notna()]
    assert len(named) > 0
    assert (named["option_id"].str.split(":").str[0] == named["risk_id"]).all()
    assert (log["risk_id"].notna()).all()  # every decision answers a registered risk
    known = log[log["risk_id"].isin(register.index)]
    assert (known["risk_status"] == known["risk_id"].map(register)).all()
    options = set(run.frame("select option_id from marts.fct_scenario_options")["option_id"])
    still_open = named[named["risk_status"] == "open"]
    priced = still_open[still_open["risk_id"].isin({o.split(":")[0] for o in options})]
    assert set(priced["option_id"]) <= options
