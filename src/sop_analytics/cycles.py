"""Run several planning cycles in a row, the way a nightly job would have over the months.

    python -m sop_analytics.cycles --previous 6          # 6 earlier cycles, then dbt build
    python -m sop_analytics.cycles --previous 6 --fresh-archive   # new demo company: archive afresh
    python -m sop_analytics.cycles --previous 6 -- --select +fct_plan_archive

Accuracy is measured on what was actually published, so it needs a plan archive that holds
earlier cycles. For a landing folder that arrives all at once (the demo company, a new
installation), this replays them: for each of the ``--previous`` cycles before the current
one, oldest first (after ``dbt seed``), ``dbt run --select +fct_plan_archive --vars '{cycle: ...}'`` publishes
that cycle's statistical baseline into ``fct_plan_archive`` seeing only what had landed
before it; then one ``dbt build`` (all models and tests) for the current cycle (the var
``cycle`` when given in ``--vars``, else the default: the period after the last one with
shipped demand). Archived cycles are never rewritten, so replaying twice adds nothing.

The dbt project, profile and database are the usual ones (``SOP_LANDING_DIR``,
``SOP_DUCKDB_PATH``); extra arguments after ``--`` go to the final ``dbt build``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import duckdb

__all__ = ["current_cycle", "previous_cycles", "run_cycles"]


def previous_cycles(cycle: str, n: int, periods_per_year: int = 12) -> list[str]:
    """The ``n`` planning period ids (``YYYY-PP``) before ``cycle``, oldest first."""
    year, period = (int(part) for part in cycle.split("-"))
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


def run_cycles(previous: int, *, project_dir: Path, build_args: Sequence[str] = (),
               dbt_vars: dict | None = None, env: dict[str, str] | None = None,
               fresh_archive: bool = False) -> list[str]:
    """Publish the ``previous`` cycles before the current one, then build the current one.

    ``fresh_archive`` starts the plan archive afresh (``--full-refresh`` on the first run):
    for a demo company generated anew, whose earlier archive belongs to another company.
    Returns the cycles run, oldest first (the current one last)."""
    env = {**os.environ, **(env or {})}
    dbt_vars = dict(dbt_vars or {})
    database = Path(env.get("SOP_DUCKDB_PATH", "build/sop.duckdb"))
    if not database.is_absolute():
        database = project_dir / database
    database.parent.mkdir(parents=True, exist_ok=True)
    var_args = ["--vars", json.dumps(dbt_vars)] if dbt_vars else []
    _dbt(["seed", *var_args], project_dir, env)  # `dbt run` does not load seeds the models read
    if "cycle" in dbt_vars:
        cycle = str(dbt_vars["cycle"])
    else:
        _dbt(["run", "--select", "+int_planning_cycle", *var_args], project_dir, env)
        cycle = current_cycle(database)
    earlier = previous_cycles(cycle, previous)
    for i, past in enumerate(earlier):
        refresh = ["--full-refresh"] if fresh_archive and i == 0 else []
        _dbt(["run", "--select", "+fct_plan_archive", *refresh, "--vars", json.dumps({**dbt_vars, "cycle": past})],
             project_dir, env)
    refresh = ["--full-refresh"] if fresh_archive and not earlier else []
    _dbt(["build", *refresh, *var_args, *build_args], project_dir, env)
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
    parser.add_argument("build_args", nargs="*", help="after --: extra arguments for the final dbt build")
    args = parser.parse_args(argv)
    cycles = run_cycles(args.previous, project_dir=args.project_dir.resolve(), build_args=args.build_args,
                        dbt_vars=json.loads(args.vars), fresh_archive=args.fresh_archive)
    print(f"cycles run: {', '.join(cycles)}")


if __name__ == "__main__":
    main()
