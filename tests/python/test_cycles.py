"""The cycle runner's pure parts: which cycles come before, and the demo's scripted planner."""

from __future__ import annotations

import pandas as pd

from sop_analytics.cycles import decide_proposals, previous_cycles


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
