"""The semantic layer (MetricFlow on DuckDB): the metrics leadership reads, queried with
`mf query` from a separate process, equal the marts they describe."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT

pytestmark = pytest.mark.dbt

MF = str(Path(sys.executable).parent / "mf")
LEADERSHIP_METRICS = {"demand_plan_units", "revenue_plan", "margin", "wape", "bias_pct", "bias_units",
                      "fva_baseline_vs_naive", "fva_consensus_vs_baseline", "revenue_at_risk"}


@pytest.fixture(scope="module")
def mf_project(planted_build, tmp_path_factory) -> tuple[Path, Path]:
    """A folder `mf` can run in for the planted build: the project and profile files and the
    build's semantic manifest (mf reads `<project>/target/`, not DBT_TARGET_PATH)."""
    run, _ = planted_build
    project = tmp_path_factory.mktemp("mf_project")
    shutil.copy(ROOT / "dbt_project.yml", project)
    shutil.copy(ROOT / "profiles.yml", project)
    (project / "target").mkdir()
    shutil.copy(run.database.parent / "target" / "semantic_manifest.json", project / "target")
    return project, run.database


def mf_query(mf_project, metrics: list[str], group_by: list[str], where: str | None = None) -> pd.DataFrame:
    """`mf query ... --csv` in a separate process; the result as a frame."""
    project, database = mf_project
    out = project / f"q{len(list(project.glob('q*.csv')))}.csv"
    command = [MF, "query", "--metrics", ",".join(metrics), "--group-by", ",".join(group_by), "--csv", str(out)]
    if where:
        command += ["--where", where]
    env = {**os.environ, "SOP_DUCKDB_PATH": str(database), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and out.exists(), done.stdout[-3000:] + done.stderr[-3000:]
    return pd.read_csv(out)


def matched(got: pd.DataFrame, marts: pd.DataFrame, on: list[str] | str) -> pd.DataFrame:
    """The metric rows joined to the mart rows: every row on both sides finds its pair."""
    merged = got.merge(marts, on=on, how="outer", indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    return merged


def assert_close(merged: pd.DataFrame, pairs: dict[str, str], rel: float = 1e-9) -> None:
    """Every metric column equals its mart column (both null, or within ``rel``)."""
    assert len(merged) > 0
    for metric, mart in pairs.items():
        for _, row in merged.iterrows():
            a, b = row[metric], row[mart]
            if pd.isna(a) or pd.isna(b):
                assert pd.isna(a) and pd.isna(b), (metric, row.to_dict())
            else:
                assert math.isclose(float(a), float(b), rel_tol=rel, abs_tol=1e-6), (metric, row.to_dict())


def test_the_semantic_manifest_defines_the_leadership_metrics(planted_build):
    run, _ = planted_build
    manifest = json.loads((run.database.parent / "target" / "semantic_manifest.json").read_text())
    names = {m["name"] for m in manifest["metrics"]}
    assert LEADERSHIP_METRICS <= names, LEADERSHIP_METRICS - names
    assert all(m.get("description") for m in manifest["metrics"])
    spine = manifest["project_configuration"]["time_spines"]
    assert any(g["name"] == "planning_period" for s in spine for g in s.get("custom_granularities", []))


def test_demand_plan_and_revenue_plan_equal_the_marts_per_family_and_planning_period(mf_project, planted_build):
    run, _ = planted_build
    got = mf_query(mf_project, ["demand_plan_units", "revenue_plan"], ["family", "metric_time__planning_period"])
    got["period_start"] = pd.to_datetime(got["metric_time__planning_period"]).dt.date
    rows = run.query(
        "select plan.master_family, plan.period_start, plan.units, finance.revenue "
        "from (select master_family, period_start, sum(consensus_units) as units "
        "      from marts.fct_consensus_plan group by 1, 2) as plan "
        "inner join marts.fct_finance_plan as finance "
        "  on plan.master_family = finance.master_family and plan.period_start = finance.period_start")
    marts = pd.DataFrame(rows, columns=["family", "period_start", "mart_units", "mart_revenue"])
    merged = matched(got, marts, ["family", "period_start"])
    # the 4-4-5 periods: 12 or 13 per family, none of them a calendar month start
    assert merged.groupby("family").size().min() >= 12
    assert_close(merged, {"demand_plan_units": "mart_units", "revenue_plan": "mart_revenue"})


def test_wape_and_bias_equal_the_accuracy_mart_per_family_and_number(mf_project, planted_build):
    run, _ = planted_build
    got = mf_query(mf_project, ["wape", "bias_pct"], ["family", "forecast_error__number_source"],
                   where="{{ Dimension('forecast_error__lag') }} = 1")
    rows = run.query(
        "select master_family, number_source, wape, bias_pct from marts.fct_forecast_accuracy "
        "where evaluation = 'published' and cycle = 'all' and aggregation_level = 'family' and lag = 1")
    marts = pd.DataFrame(rows, columns=["family", "forecast_error__number_source", "mart_wape", "mart_bias_pct"])
    merged = matched(got, marts, ["family", "forecast_error__number_source"])
    assert {"statistical_baseline", "consensus", "naive", "sales"} <= set(merged["forecast_error__number_source"])
    assert_close(merged, {"wape": "mart_wape", "bias_pct": "mart_bias_pct"})


def test_forecast_value_added_equals_the_accuracy_by_number_mart(mf_project, planted_build):
    run, _ = planted_build
    got = mf_query(mf_project, ["fva_baseline_vs_naive", "fva_consensus_vs_baseline"],
                   ["family", "forecast_error__lag"])
    rows = run.query(
        "select baseline.master_family, baseline.lag, baseline.fva_wape_vs_naive, consensus.fva_wape_vs_baseline "
        "from marts.rpt_accuracy_by_number as baseline "
        "inner join marts.rpt_accuracy_by_number as consensus "
        "  on baseline.master_family = consensus.master_family and baseline.lag = consensus.lag "
        "  and consensus.number_source = 'consensus' and consensus.aggregation_level = 'family' "
        "where baseline.number_source = 'statistical_baseline' and baseline.aggregation_level = 'family'")
    marts = pd.DataFrame(rows, columns=["family", "forecast_error__lag", "mart_fva_naive", "mart_fva_baseline"])
    merged = matched(got, marts, ["family", "forecast_error__lag"])
    assert sorted(merged["forecast_error__lag"].unique()) == [1, 2, 3]
    assert_close(merged, {"fva_baseline_vs_naive": "mart_fva_naive", "fva_consensus_vs_baseline": "mart_fva_baseline"},
                 rel=1e-7)


def test_margin_inventory_and_revenue_at_risk_equal_the_marts_per_family(mf_project, planted_build):
    run, _ = planted_build
    got = mf_query(mf_project, ["margin", "margin_pct", "inventory_value", "revenue_at_risk"], ["family"])
    rows = run.query(
        "select finance.master_family, finance.margin, finance.margin / finance.revenue, last.inventory_value, "
        "       coalesce(risk.at_risk_revenue, 0) "
        "from (select master_family, sum(margin) as margin, sum(revenue) as revenue "
        "      from marts.fct_finance_plan group by 1) as finance "
        "inner join (select master_family, inventory_value from marts.fct_finance_plan "
        "            qualify period_start = max(period_start) over ()) as last "
        "  on finance.master_family = last.master_family "
        "left join (select master_family, sum(at_risk_revenue) as at_risk_revenue "
        "           from marts.fct_constrained_plan group by 1) as risk "
        "  on finance.master_family = risk.master_family")
    marts = pd.DataFrame(rows, columns=["family", "mart_margin", "mart_margin_pct", "mart_inventory",
                                        "mart_at_risk"])
    merged = matched(got, marts, "family")
    merged["revenue_at_risk"] = merged["revenue_at_risk"].fillna(0)
    # the planted capacity overload puts revenue at risk somewhere
    assert merged["mart_at_risk"].sum() > 0
    assert_close(merged, {"margin": "mart_margin", "margin_pct": "mart_margin_pct",
                          "inventory_value": "mart_inventory", "revenue_at_risk": "mart_at_risk"})


def test_executive_kpis_equal_the_pack_mart(mf_project, planted_build):
    """The pack's tiles and the semantic layer give the same figures (empty stays empty)."""
    run, _ = planted_build
    metrics = {"executive_kpi_value": "value", "executive_kpi_budget": "budget_value",
               "executive_kpi_change_vs_budget": "change_vs_budget",
               "executive_kpi_change_vs_last_cycle": "change_vs_last_cycle",
               "executive_kpi_change_vs_last_year": "change_vs_last_year"}
    got = mf_query(mf_project, list(metrics), ["kpi"])
    marts = run.frame("select kpi, " + ", ".join(f"{c} as mart_{c}" for c in metrics.values())
                      + " from marts.rpt_executive_kpis")
    merged = matched(got, marts, "kpi")
    assert len(merged) == 6
    assert_close(merged, {m: f"mart_{c}" for m, c in metrics.items()})


def test_scenario_figures_equal_the_options_mart(mf_project, planted_build):
    run, _ = planted_build
    metrics = {"scenario_revenue_effect": "revenue_effect", "scenario_margin_effect": "margin_effect",
               "scenario_action_cost": "action_cost", "scenario_units_short": "units_short",
               "scenario_top_priority_units_short": "top_priority_units_short"}
    got = mf_query(mf_project, list(metrics), ["scenario_option_line__option_id"])
    marts = run.frame("select option_id as scenario_option_line__option_id, "
                      + ", ".join(f"{c} as mart_{c}" for c in metrics.values()) + " from marts.fct_scenario_options")
    merged = matched(got, marts, "scenario_option_line__option_id")
    assert merged["scenario_option_line__option_id"].str.contains("capacity").any()
    assert_close(merged, {m: f"mart_{c}" for m, c in metrics.items()}, rel=1e-7)


def test_planning_periods_carry_fiscal_quarter_and_year_labels(planted_build):
    run, _ = planted_build
    periods = run.frame("select period_id, fiscal_year, fiscal_period, fiscal_quarter, fiscal_year_label, "
                        "fiscal_quarter_label from marts.dim_planning_periods")
    assert (periods["fiscal_year_label"] == "FY" + periods["fiscal_year"].astype(str)).all()
    assert set(periods["fiscal_quarter"]) == {1, 2, 3, 4}
    # three periods a quarter in a 12-period year, in order
    per_year = periods.groupby(["fiscal_year", "fiscal_quarter"])["fiscal_period"].agg(["min", "max", "count"])
    full = per_year[per_year["count"] == 3]
    assert len(full) > 4 and ((full["max"] - full["min"]) == 2).all()
    assert (periods["fiscal_quarter_label"] == periods["fiscal_year_label"] + " Q"
            + periods["fiscal_quarter"].astype(str)).all()
