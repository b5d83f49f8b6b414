"""Run several planning cycles in a row, the way a nightly job would have over the months.

    python -m sop_analytics.cycles --previous 6          # 6 earlier cycles, then dbt build
    python -m sop_analytics.cycles --previous 6 --fresh-archive   # new demo company: archive afresh
    python -m sop_analytics.cycles --previous 6 -- --select +fct_plan_archive

Accuracy is measured on what was actually published, so it needs a plan archive that holds
earlier cycles. For a landing folder that arrives all at once (the demo company, a new
installation), this replays them: for each of the ``--previous`` cycles before the current
one, oldest first (after ``dbt seed``), ``dbt run --select +fct_plan_archive`` with
``SOP_CYCLE=<cycle>`` in its environment publishes that cycle's statistical baseline into
``fct_plan_archive`` seeing only what had landed before it (after the first cycle, only the
models that depend on the cycle or on the planner's files rerun: ``CYCLE_ROOTS``); then one ``dbt build`` (all
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

from .demo import planner

__all__ = ["checked_cycle", "current_cycle", "cycle_selection", "previous_cycles", "run_cycles"]

PUBLISH_SELECTION = (
    "+fct_plan_archive", "+fct_plan_proposals", "+fct_consensus_plan_archive", "+fct_risk_register_history",
)
# What can differ from one replayed cycle to the next: the models that read the cycle
# setting (int_planning_cycle, int_build_gate: macro planning_cycle_setting), the planner's
# files the scripted planner writes between cycles (source plan) and the landing files'
# status (source landing). Only their descendants among PUBLISH_SELECTION's models rerun in
# the cycles after the first; the rest (staging, the checked extracts, the SKU dictionary,
# the calendar, ...) read only the landing folder, so the first cycle's tables stand.
CYCLE_ROOTS = ("int_planning_cycle", "int_build_gate", "source:plan", "source:landing")
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


def cycle_selection() -> list[str]:
    """The ``--select`` of a replayed cycle after the first: every model of
    ``PUBLISH_SELECTION`` that descends from a ``CYCLE_ROOTS`` node (dbt intersections
    ``root+,+target``)."""
    return [f"{root}+,{target}" for root in CYCLE_ROOTS for target in PUBLISH_SELECTION]


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
               fresh_archive: bool = False, scripted_planner: bool = False,
               full_cycles: bool = False) -> list[str]:
    """Publish the ``previous`` cycles before the current one, then build the current one.

    ``fresh_archive`` starts the plan archive afresh (``--full-refresh`` on the first run):
    for a demo company generated anew, whose earlier archive belongs to another company.
    The cycle reaches dbt through the environment variable ``SOP_CYCLE`` (read only at run
    time, macro ``planning_cycle_setting``), never through ``--vars``: every dbt command of
    the replay then has the same vars, so dbt parses the project once and partially
    re-parses (nothing changed) in every later command. A ``cycle`` in ``dbt_vars`` (or
    ``SOP_CYCLE`` in the environment) chooses the current cycle.
    The first earlier cycle runs all of ``PUBLISH_SELECTION``; the later ones only its
    cycle-dependent models (:func:`cycle_selection`), unless ``full_cycles``: the same
    archives either way, fewer models per cycle.
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
        selection = cycle_selection() if i > 0 and not full_cycles else list(PUBLISH_SELECTION)
        _dbt(["run", "--select", *selection, *refresh, *var_args], project_dir, {**env, "SOP_CYCLE": past})
        if scripted_planner:
            progress.step(where, "scripted planner and leadership review")
            planner.scripted_decisions(database, landing, past)
            planner.scripted_leadership(database, landing, past)
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
    parser.add_argument("--full-cycles", action="store_true",
                        help="rerun every upstream model in each earlier cycle, not only the cycle-dependent ones")
    parser.add_argument("build_args", nargs="*", help="after --: extra arguments for the final dbt build")
    args = parser.parse_args(argv)
    cycles = run_cycles(args.previous, project_dir=args.project_dir.resolve(), build_args=args.build_args,
                        dbt_vars=json.loads(args.vars), fresh_archive=args.fresh_archive,
                        scripted_planner=args.scripted_planner, full_cycles=args.full_cycles)
    print(f"cycles run: {', '.join(cycles)}")


if __name__ == "__main__":
    main()
