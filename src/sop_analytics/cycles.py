"""Run several planning cycles in a row, the way a nightly job would have over the months.

    python -m sop_analytics.cycles --previous 6          # 6 earlier cycles, then dbt build
    python -m sop_analytics.cycles --previous 6 --fresh-archive   # new demo company: archive afresh
    python -m sop_analytics.cycles --previous 6 -- --select +fct_plan_archive

Accuracy is measured on what was actually published, so it needs a plan archive that holds
earlier cycles. For a landing folder that arrives all at once (the demo company, a new
installation), this replays them: for each of the ``--previous`` cycles before the current
one, oldest first (after ``dbt seed``), ``dbt run --select +fct_plan_archive`` with
``SOP_CYCLE=<cycle>`` in its environment publishes that cycle's statistical baseline into
``fct_plan_archive`` seeing only what had landed before it; then one ``dbt build`` (all
models and tests) for the current cycle (the var ``cycle`` when given in ``--vars`` or
``SOP_CYCLE``, else the default: the period after the last one with shipped demand).
Archived cycles are never rewritten, so replaying twice adds nothing. Every command gets
the same ``--vars``, so dbt parses the project once and partially parses after that; a
line per step says which cycle of how many runs and the time elapsed.

Each earlier run publishes the cycle's statistical baseline, its proposals (fct_plan_proposals),
its consensus plan and its risk register. With ``--scripted-planner`` (the demo) a scripted planner then decides
every proposal of that cycle in ``plan/decisions`` of the landing folder, so the next cycle's
consensus plan applies the accepted ones: the closed loop, run several times; and a scripted
leadership review decides the cycle's largest risks in ``plan/leadership_decisions``.

The dbt project, profile and database are the usual ones (``SOP_LANDING_DIR``,
``SOP_DUCKDB_PATH``); extra arguments after ``--`` go to the final ``dbt build``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pandas as pd

__all__ = ["checked_cycle", "current_cycle", "decide_proposals", "decide_risks", "previous_cycles", "run_cycles"]

PUBLISH_SELECTION = (
    "+fct_plan_archive", "+fct_plan_proposals", "+fct_consensus_plan_archive", "+fct_risk_register_history",
)
DECISION_COLUMNS = ["proposal_id", "decision", "adjusted_quantity", "rationale", "decided_by", "decided_at"]


CYCLE_PATTERN = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


def checked_cycle(cycle: object) -> str:
    """``cycle`` when it is a planning period id ``YYYY-PP`` (PP 01 to 12), else a clear error."""
    if not isinstance(cycle, str) or not CYCLE_PATTERN.fullmatch(cycle):
        raise SystemExit(f"Invalid var cycle: {cycle!r} is not a planning period id YYYY-PP "
                         "(a four-digit year, a dash and a period 01 to 12, e.g. 2026-03). Nothing ran.")
    return cycle


def previous_cycles(cycle: str, n: int, periods_per_year: int = 12) -> list[str]:
    """The ``n`` planning period ids (``YYYY-PP``) before ``cycle``, oldest first."""
    year, period = (int(part) for part in checked_cycle(cycle).split("-"))
    index = year * periods_per_year + period - 1
    out = []
    for back in range(n, 0, -1):
        y, p = divmod(index - back, periods_per_year)
        out.append(f"{y:04d}-{p + 1:02d}")
    return out


def _dbt(args: Sequence[str], project_dir: Path, env: dict[str, str]) -> None:
    """Run one dbt command, streaming its output; stop on failure."""
    command = [str(Path(sys.executable).parent / "dbt"), *args,
               "--profiles-dir", str(project_dir), "--project-dir", str(project_dir)]
    print("$ dbt " + " ".join(args), flush=True)
    done = subprocess.run(command, cwd=project_dir, env=env)
    if done.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed (exit {done.returncode})")


def current_cycle(database: Path) -> str:
    """The cycle of the last build into ``database`` (``int_planning_cycle``)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.sql("select cycle from intermediate.int_planning_cycle").fetchall()[0][0]
    finally:
        con.close()


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


def _scripted_decisions(database: Path, landing: Path, cycle: str) -> int:
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


LEADERSHIP_COLUMNS = ["decision_id", "cycle", "topic", "decision", "owner", "due_date", "status", "option_id"]
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


def _scripted_leadership(database: Path, landing: Path, cycle: str) -> int:
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


def _elapsed(seconds: float) -> str:
    """``1m12s`` (``45s`` under a minute, ``1h02m03s`` past an hour)."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class _Progress:
    """One line per step of the replay: which cycle, what runs, the time since the start."""

    def __init__(self, clock=time.perf_counter):
        self.clock = clock
        self.started = clock()

    def step(self, where: str, what: str) -> None:
        print(f"== {where}: {what} ... elapsed {_elapsed(self.clock() - self.started)}", flush=True)


def run_cycles(previous: int, *, project_dir: Path, build_args: Sequence[str] = (),
               dbt_vars: dict | None = None, env: dict[str, str] | None = None,
               fresh_archive: bool = False, scripted_planner: bool = False) -> list[str]:
    """Publish the ``previous`` cycles before the current one, then build the current one.

    ``fresh_archive`` starts the plan archive afresh (``--full-refresh`` on the first run):
    for a demo company generated anew, whose earlier archive belongs to another company.
    The cycle reaches dbt through the environment variable ``SOP_CYCLE`` (read only at run
    time, macro ``planning_cycle_setting``), never through ``--vars``: every dbt command of
    the replay then has the same vars, so dbt parses the project once and partially
    re-parses (nothing changed) in every later command. A ``cycle`` in ``dbt_vars`` (or
    ``SOP_CYCLE`` in the environment) chooses the current cycle.
    Returns the cycles run, oldest first (the current one last)."""
    progress = _Progress()
    env = {**os.environ, **(env or {})}
    dbt_vars = dict(dbt_vars or {})
    asked = dbt_vars.pop("cycle", None)
    if asked is None and env.get("SOP_CYCLE", "").strip():
        asked = env["SOP_CYCLE"].strip()
    env.pop("SOP_CYCLE", None)
    database = Path(env.get("SOP_DUCKDB_PATH", "build/sop.duckdb"))
    if not database.is_absolute():
        database = project_dir / database
    database.parent.mkdir(parents=True, exist_ok=True)
    var_args = ["--vars", json.dumps(dbt_vars)] if dbt_vars else []
    landing = Path(env.get("SOP_LANDING_DIR", "data/demo/landing"))
    if not landing.is_absolute():
        landing = project_dir / landing
    if scripted_planner and fresh_archive:
        (landing / "plan" / "decisions.csv").unlink(missing_ok=True)  # decisions on another archive's proposals
        (landing / "plan" / "leadership_decisions.csv").unlink(missing_ok=True)
    progress.step("start", "dbt seed")
    _dbt(["seed", *var_args], project_dir, env)  # `dbt run` does not load seeds the models read
    if asked is not None:
        cycle = checked_cycle(asked)
    else:
        progress.step("start", "finding the current cycle")
        _dbt(["run", "--select", "+int_planning_cycle", *var_args], project_dir, env)
        cycle = current_cycle(database)
    earlier = previous_cycles(cycle, previous)
    for i, past in enumerate(earlier):
        where = f"cycle {i + 1} of {len(earlier)} ({past})"
        refresh = ["--full-refresh"] if fresh_archive and i == 0 else []
        progress.step(where, "publishing its baseline, proposals, consensus plan and risks")
        _dbt(["run", "--select", *PUBLISH_SELECTION, *refresh, *var_args], project_dir, {**env, "SOP_CYCLE": past})
        if scripted_planner:
            progress.step(where, "scripted planner and leadership review")
            _scripted_decisions(database, landing, past)
            _scripted_leadership(database, landing, past)
    refresh = ["--full-refresh"] if fresh_archive and not earlier else []
    progress.step(f"current cycle ({cycle})", "dbt build (all models and tests)")
    _dbt(["build", *refresh, *var_args, *build_args], project_dir, {**env, "SOP_CYCLE": cycle})
    progress.step("done", f"{len(earlier)} earlier cycles and the current one")
    return [*earlier, cycle]


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m sop_analytics.cycles",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--previous", type=int, default=6,
                        help="earlier cycles to publish before the current one (default 6)")
    parser.add_argument("--vars", default="{}", help="dbt vars as JSON (e.g. a cycle)")
    parser.add_argument("--project-dir", type=Path, default=Path.cwd())
    parser.add_argument("--fresh-archive", action="store_true",
                        help="start the plan archive afresh (a newly generated demo company)")
    parser.add_argument("--scripted-planner", action="store_true",
                        help="the demo: a scripted planner decides each earlier cycle's proposals")
    parser.add_argument("build_args", nargs="*", help="after --: extra arguments for the final dbt build")
    args = parser.parse_args(argv)
    cycles = run_cycles(args.previous, project_dir=args.project_dir.resolve(), build_args=args.build_args,
                        dbt_vars=json.loads(args.vars), fresh_archive=args.fresh_archive,
                        scripted_planner=args.scripted_planner)
    print(f"cycles run: {', '.join(cycles)}")


if __name__ == "__main__":
    main()
