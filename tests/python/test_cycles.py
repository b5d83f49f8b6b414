"""The cycle runner's pure parts: which cycles come before, and the demo's scripted planner."""

from __future__ import annotations

import pandas as pd

from sop_analytics.cycles import previous_cycles
from sop_analytics.demo.planner import decide_proposals


def test_previous_cycles_cross_the_year():
    assert previous_cycles("2026-02", 3) == ["2025-11", "2025-12", "2026-01"]
    assert previous_cycles("2026-11", 0) == []
    assert previous_cycles("2026-11", 2) == ["2026-09", "2026-10"]


def test_scripted_planner_accepts_rejects_and_modifies_with_reasons():
    proposals = pd.DataFrame({
        "proposal_id": ["PRP-2026-09-B", "PRP-2026-09-A", "PRP-2026-09-C"],
        "change_pct": [0.20, 0.15, -0.60],
        "baseline_level_units": [100.0, 50.0, 200.0],
        "proposed_level_units": [120.0, 57.5, 80.0],
        "n_forecast_error_periods": [2, 3, 3],
    })
    decisions = decide_proposals(proposals, pd.Timestamp("2026-08-30")).set_index("proposal_id")
    assert list(decisions.index) == ["PRP-2026-09-A", "PRP-2026-09-B", "PRP-2026-09-C"]
    assert decisions.loc["PRP-2026-09-A", "decision"] == "accept"  # three periods of evidence
    assert decisions.loc["PRP-2026-09-B", "decision"] == "reject"  # two: wait for a third
    assert decisions.loc["PRP-2026-09-C", "decision"] == "modify"  # -60%: half of it
    assert decisions.loc["PRP-2026-09-C", "adjusted_quantity"] == 140.0
    assert pd.isna(decisions.loc["PRP-2026-09-A", "adjusted_quantity"])
    assert decisions["rationale"].str.len().gt(20).all()
    assert (decisions["decided_at"] == "2026-09-04T10:00:00").all()  # inside the cycle, before the next


def test_scripted_leadership_review_decides_the_largest_risks_and_lets_one_slip():
    from sop_analytics.demo.planner import LEADERSHIP_COLUMNS, decide_risks

    risks = pd.DataFrame({"risk_id": ["RSK-a", "RSK-b", "RSK-c"],
                          "risk_type": ["capacity_overload", "late_supplier", "projected_shortage"],
                          "size_money": [10.0, 300.0, 20.0], "description": ["x", "y", "z"]})
    first = decide_risks(risks, "2026-09", pd.Timestamp("2026-08-30"), pd.DataFrame(columns=LEADERSHIP_COLUMNS))
    assert list(first["decision_id"]) == ["LD-2026-09-1", "LD-2026-09-2"]
    assert list(first["topic"].str[:5]) == ["RSK-b", "RSK-c"]  # largest money first
    assert (first["status"] == "open").all() and (first["due_date"] == "2026-09-27").all()
    second = decide_risks(risks, "2026-10", pd.Timestamp("2026-09-27"), first)
    status = second.set_index("decision_id")["status"]
    assert status["LD-2026-09-1"] == "done" and status["LD-2026-09-2"] == "open"
    assert len(second) == 4
    # re-running a cycle's review replaces its decisions, it does not add them twice
    again = decide_risks(risks, "2026-10", pd.Timestamp("2026-09-27"), second)
    assert len(again) == 4
