"""Benchmark the demo replay: ``python -m sop_analytics.cycles --previous N --fresh-archive
--scripted-planner`` (the README's first command without set-up, docs and pack) on a freshly
generated demo company, from a cold dbt target (no ``partial_parse.msgpack``).

It reports the wall time, the number of dbt invocations, how many of them re-parsed the
project in full ("Unable to do partial parsing" in dbt's output) and the forecasting node's
time in each invocation. Run it on this checkout, and on an older one for a before/after::

    echo 19 > /proc/self/autogroup
    python scripts/benchmark_replay.py --tag after
    git archive <commit> | tar -x -C build/bench_before
    PYTHONPATH=build/bench_before/src python scripts/benchmark_replay.py \
        --project-dir build/bench_before --tag before

Everything goes to ``build/bench_replay_<tag>/`` (landing folder, database, published
builds, the run's log, ``result.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path


def _forecast_times(text: str) -> list[float]:
    """The forecasting node's time in each dbt command of a log."""
    return [float(s) for s in re.findall(
        r"OK created python table model \S+\.int_forecast_outputs\s.*?OK(?:\x1b\[0m)? in ([0-9.]+)s\]", text)]


def _parse_times(text: str) -> list[int]:
    """Seconds from each dbt command's start ("Running with dbt") to the end of its parse
    ("Found N models"): start-up plus parsing, full or partial."""
    stamps = re.findall(r"(\d\d):(\d\d):(\d\d)\s+(Running with dbt|Found \d+ models)", text)
    out, start = [], None
    for h, m, sec, what in stamps:
        t = int(h) * 3600 + int(m) * 60 + int(sec)
        if what.startswith("Running"):
            start = t
        elif start is not None:
            out.append((t - start) % 86400)
            start = None
    return out


def _step_times(text: str) -> dict[str, int]:
    """Seconds per progress step of the replay ("== cycle 3 of 8 (2026-05): publishing ...
    elapsed 1m06s"): from each step's line to the next one's."""
    marks = []
    for what, stamp in re.findall(r"^== (.+?) \.\.\. elapsed (\S+)$", text, flags=re.M):
        h = re.search(r"(\d+)h", stamp)
        m = re.search(r"(\d+)m", stamp)
        sec = re.search(r"(\d+)s", stamp)
        marks.append((what, sum(int(x.group(1)) * k for x, k in ((h, 3600), (m, 60), (sec, 1)) if x)))
    return {what: marks[i + 1][1] - t for i, (what, t) in enumerate(marks[:-1])}


RUN_STAMPS = ("invocation_id", "built_at", "stored_at")  # which run wrote a row and when, not what it says


def _compare(database: Path, other: Path) -> dict:
    """Every table of ``database`` against the same table of ``other``: the tables whose rows
    differ (as multisets, ``RUN_STAMPS`` columns aside, each run's own folder, where a text
    names a landing file, read as ``<work>``), and those in one database only."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach '{database}' as a (read_only)")
        con.execute(f"attach '{other}' as b (read_only)")
        listed = "select table_schema, table_name from information_schema.tables where table_catalog = '{}' " \
                 "and table_type = 'BASE TABLE' and table_schema not in ('_sop_restore', '_sop_runs', 'test_failures')"
        tables_a = set(con.sql(listed.format("a")).fetchall())
        tables_b = set(con.sql(listed.format("b")).fetchall())
        differ = []
        for schema, table in sorted(tables_a & tables_b):
            cols = [(c, t) for (c, t) in con.sql(
                "select column_name, data_type from information_schema.columns where table_catalog = 'a' "
                f"and table_schema = '{schema}' and table_name = '{table}' order by ordinal_position").fetchall()
                    if c not in RUN_STAMPS]

            def select(folder: Path) -> str:
                quoted = [f'"{c}"' for c, _ in cols]
                return ", ".join(f"replace({q}, '{folder}', '<work>') as {q}" if t == "VARCHAR" else q
                                 for q, (_, t) in zip(quoted, cols))

            sa, sb = select(database.resolve().parent), select(other.resolve().parent)
            n = con.sql(f'select count(*) from ((select {sa} from a."{schema}"."{table}" except all '
                        f'select {sb} from b."{schema}"."{table}") union all (select {sb} from '
                        f'b."{schema}"."{table}" except all select {sa} from a."{schema}"."{table}"))'
                        ).fetchall()[0][0]
            if n:
                differ.append(f"{schema}.{table}: {n} rows")
        return {"other": str(other), "tables": len(tables_a & tables_b), "differ": differ,
                "only_here": sorted(f"{s}.{t}" for s, t in tables_a - tables_b),
                "only_there": sorted(f"{s}.{t}" for s, t in tables_b - tables_a)}
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project-dir", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--previous", type=int, default=8)
    parser.add_argument("--skus", type=int, default=None, help="demo SKUs (default: the demo's 420)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--tag", default="after")
    parser.add_argument("--out", type=Path, default=None, help="work folder (default build/bench_replay_<tag>)")
    parser.add_argument("--full-cycles", action="store_true",
                        help="pass --full-cycles: every earlier cycle reruns all its upstream models (the "
                             "replay before the cycle-dependent selection)")
    parser.add_argument("--compare-with", type=Path, default=None,
                        help="a database of another run of the same company: report whether every table "
                             "holds the same rows (the run stamps invocation_id and built_at aside)")
    parser.add_argument("--rebuild", action="store_true",
                        help="then one more `dbt build` of the current cycle, nothing changed (the unchanged rebuild)")
    args = parser.parse_args(argv)

    project = args.project_dir.resolve()
    work = (args.out or Path(__file__).resolve().parents[1] / "build" / f"bench_replay_{args.tag}").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (project / "target" / "partial_parse.msgpack").unlink(missing_ok=True)
    env = {**os.environ,
           "PYTHONPATH": os.environ.get("PYTHONPATH", str(project / "src")),
           "SOP_LANDING_DIR": str(work / "demo" / "landing"),
           "SOP_DUCKDB_PATH": str(work / "sop.duckdb"),
           "SOP_PUBLISH_DIR": str(work / "published")}
    env.pop("SOP_CYCLE", None)
    demo = [sys.executable, "-m", "sop_analytics.demo", "--seed", str(args.seed), "--out", str(work / "demo")]
    if args.skus:
        demo += ["--skus", str(args.skus)]
    subprocess.run(demo, cwd=project, env=env, check=True, stdout=subprocess.DEVNULL)

    log_path = work / "replay.log"
    started = time.perf_counter()
    with log_path.open("w") as log:
        done = subprocess.run(
            [sys.executable, "-m", "sop_analytics.cycles", "--previous", str(args.previous), "--fresh-archive",
             "--scripted-planner", "--project-dir", str(project), *(["--full-cycles"] if args.full_cycles else [])],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - started
    text = log_path.read_text()
    forecast_times = _forecast_times(text)
    rebuild = None
    if args.rebuild and done.returncode == 0:
        rebuild_log = work / "rebuild.log"
        started = time.perf_counter()
        with rebuild_log.open("w") as log:
            again = subprocess.run([str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", str(project),
                                    "--project-dir", str(project)], cwd=project, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        rebuilt = rebuild_log.read_text()
        rebuild = {"exit_code": again.returncode, "wall_s": round(time.perf_counter() - started, 1),
                   "full_reparses": rebuilt.count("Unable to do partial parsing"),
                   "forecast_node_s": _forecast_times(rebuilt),
                   "forecast_progress": [line.split("forecasting: ", 1)[1] for line in rebuilt.splitlines()
                                         if "forecasting: " in line][:1]}
    result = {
        "tag": args.tag,
        "project_dir": str(project),
        "skus": args.skus or 420,
        "previous_cycles": args.previous,
        "exit_code": done.returncode,
        "wall_s": round(wall, 1),
        "dbt_invocations": len(re.findall(r"^\$ dbt ", text, flags=re.M)),
        "full_reparses": text.count("Unable to do partial parsing"),
        "forecast_node_s": forecast_times,
        "startup_and_parse_s": _parse_times(text),
        "step_s": _step_times(text),
        "unchanged_rebuild": rebuild,
        "tables_compared": _compare(work / "sop.duckdb", args.compare_with) if args.compare_with else None,
        "load_average_after": os.getloadavg(),
    }
    (work / "result.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    if done.returncode != 0:
        raise SystemExit(f"the replay failed (exit {done.returncode}); see {log_path}")


if __name__ == "__main__":
    main()
