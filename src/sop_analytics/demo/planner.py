"""The demo's scripted planner and leadership review: what a planning team would decide each
cycle, so the replay of past cycles (``python -m sop_analytics.cycles --scripted-planner``)
runs the closed loop and the decision log the way a real team would fill them. The cycle
runner only orchestrates; the decisions are made here, and written in the columns of the
landing contract's ``plan/decisions`` and ``plan/leadership_decisions``."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from ..contract import columns

__all__ = ["DECISION_COLUMNS", "LEADERSHIP_COLUMNS", "decide_proposals", "decide_risks", "scripted_decisions",
           "scripted_leadership"]

DECISION_COLUMNS = columns("plan/decisions")
LEADERSHIP_COLUMNS = columns("plan/leadership_decisions")


def decide_proposals(proposals: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """The demo's scripted planner: a decision for every proposal of one cycle.

    - a change above 50% is modified to half of it (a big jump: take half, review next cycle);
    - forecast error in all of the last three periods: accept;
    - otherwise reject (two periods of evidence: wait for a third).
    Decided five days into the cycle (before the next one starts), by ``demo planner``.
    """
    rows = []
    decided_at = (as_of + pd.Timedelta(days=5, hours=10)).strftime("%Y-%m-%dT%H:%M:%S")
    for p in proposals.sort_values("proposal_id").itertuples(index=False):
        if abs(p.change_pct) > 0.5:
            adjusted = round(p.baseline_level_units + (p.proposed_level_units - p.baseline_level_units) / 2, 1)
            rows.append((p.proposal_id, "modify", adjusted,
                         f"change of {p.change_pct:+.0%} is too big a jump at once: take half, review next cycle"))
        elif p.n_forecast_error_periods >= 3:
            rows.append((p.proposal_id, "accept", None,
                         "demand moved beyond noise in all of the last three periods: re-level"))
        else:
            rows.append((p.proposal_id, "reject", None,
                         f"only {p.n_forecast_error_periods} of 3 periods beyond noise: wait for another period"))
    out = pd.DataFrame(rows, columns=DECISION_COLUMNS[:4])
    return out.assign(decided_by="demo planner", decided_at=decided_at)[DECISION_COLUMNS]


def scripted_decisions(database: Path, landing: Path, cycle: str) -> int:
    """Decide the proposals of ``cycle`` and merge them into ``landing/plan/decisions.csv``."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        proposals = con.execute(
            "select proposal_id, change_pct, baseline_level_units, proposed_level_units, n_forecast_error_periods "
            "from marts.fct_plan_proposals where cycle = ?", [cycle]).df()
        [(as_of,)] = con.execute(
            "select period_start from intermediate.int_planning_periods where period_id = ?", [cycle]).fetchall()
    finally:
        con.close()
    new = decide_proposals(proposals, pd.Timestamp(as_of))
    path = landing / "plan" / "decisions.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    old = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else pd.DataFrame(columns=DECISION_COLUMNS)
    new = new.assign(adjusted_quantity=[("" if pd.isna(q) else f"{q:.1f}") for q in new["adjusted_quantity"]])
    merged = pd.concat([old, new.astype(str)], ignore_index=True)
    merged = merged.drop_duplicates(["proposal_id", "decided_at"], keep="last")
    merged.sort_values(["decided_at", "proposal_id"]).to_csv(path, index=False)
    print(f"scripted planner: {len(new)} decisions on the proposals of {cycle} -> {path}", flush=True)
    return len(new)


_LEADERSHIP_PLAYBOOK = {  # decision, owner, the trade-off option it picks (fct_scenario_options.option_key)
    "capacity_overload": ("approve overtime and move lower-margin volume to the next period", "Head of Operations",
                          "add_hours"),
    "late_supplier": ("qualify a second source and expedite the open orders", "Procurement Director", "expedite"),
    "projected_shortage": ("expedite supply and allocate to key accounts", "Supply Planning Lead", "expedite"),
    "excess_obsolescence": ("run the stock down before end of life", "Finance Controller", None),
    "escalated_miss": ("sales and supply leads agree a recovery plan", "Sales Director", None),
}


def decide_risks(risks: pd.DataFrame, cycle: str, as_of: pd.Timestamp, previous: pd.DataFrame) -> pd.DataFrame:
    """The demo's scripted leadership review: a decision on each of the two largest open
    risks (by money) of ``cycle``, owned by a named role and due four weeks into the cycle;
    of the decisions taken before, the first of each review is done by now, the second slips
    (stays open, so the decision log shows it overdue). A decision on a risk that has
    trade-off options names the option it picks (``option_id`` = ``<risk_id>:<option_key>``)."""
    top = risks.sort_values(["size_money", "risk_id"], ascending=[False, True], na_position="last").head(2)
    due = (as_of + pd.Timedelta(days=28)).strftime("%Y-%m-%d")
    new = pd.DataFrame([
        (f"LD-{cycle}-{i + 1}", cycle, f"{r.risk_id}: {r.description}"[:300], _LEADERSHIP_PLAYBOOK[r.risk_type][0],
         _LEADERSHIP_PLAYBOOK[r.risk_type][1], due, "open",
         f"{r.risk_id}:{_LEADERSHIP_PLAYBOOK[r.risk_type][2]}" if _LEADERSHIP_PLAYBOOK[r.risk_type][2] else "")
        for i, r in enumerate(top.itertuples(index=False))
    ], columns=LEADERSHIP_COLUMNS)
    old = previous[previous["cycle"] != cycle].reindex(columns=LEADERSHIP_COLUMNS).fillna("")
    old.loc[old["decision_id"].str.endswith("-1"), "status"] = "done"
    return pd.concat([old, new], ignore_index=True).sort_values("decision_id").reset_index(drop=True)


def scripted_leadership(database: Path, landing: Path, cycle: str) -> int:
    """Decide the largest risks of ``cycle`` into ``landing/plan/leadership_decisions.csv``."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        risks = con.execute("select risk_id, risk_type, size_money, description from marts.fct_risk_register "
                            "where cycle = ?", [cycle]).df()
        [(as_of,)] = con.execute(
            "select period_start from intermediate.int_planning_periods where period_id = ?", [cycle]).fetchall()
    finally:
        con.close()
    path = landing / "plan" / "leadership_decisions.csv"
    previous = (pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists()
                else pd.DataFrame(columns=LEADERSHIP_COLUMNS))
    out = decide_risks(risks, cycle, pd.Timestamp(as_of), previous)
    out.to_csv(path, index=False)
    print(f"scripted leadership review: {len(out) - len(previous[previous['cycle'] != cycle])} decisions "
          f"in {cycle} -> {path}", flush=True)
    return len(out)
