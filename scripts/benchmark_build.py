"""Benchmark the nightly build at scale: the demo company generated at N SKUs, one full
build from a cold target (``python -m sop_analytics.nightly``, which runs ``dbt build`` and
records its inputs), the nightly build again with nothing changed (skipped: it only hashes
the inputs), then a plain ``dbt build`` again with nothing changed.

For each size it reports the generator's wall time and peak memory, the full build's wall
time, peak memory (the largest process of the build: dbt or one of the forecasting
workers) and forecasting node time, the unchanged nightly build's wall time, and the
unchanged ``dbt build``'s wall time, node time and how many families it reused. Run it on
an otherwise idle machine::

    echo 19 > /proc/self/autogroup
    python scripts/benchmark_build.py --sizes 1000 10000
    python scripts/benchmark_build.py --sizes 10000 --vars '{forecast_max_backtest_series: null}' --out build/bench_nocap

Everything goes to ``build/bench_build/<size>/`` (landing folder, database, logs) and
``build/bench_build/result.json``; the table to paste into BENCHMARKS.md is printed.
Peak memory is GNU time's maximum resident set size of the command (``/usr/bin/time -f
%M``): the largest single process among it and the descendants it waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TIME = "/usr/bin/time"


def _timed(command: list[str], env: dict[str, str], log: Path) -> dict:
    """Run ``command`` under GNU time; wall seconds, peak RSS MiB, exit code and its output."""
    stats = log.with_suffix(".time")
    with log.open("w") as out:
        done = subprocess.run([TIME, "-f", "%e %M", "-o", str(stats), *command], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT)
    wall, rss_kib = stats.read_text().split()[-2:]
    return {"exit_code": done.returncode, "wall_s": round(float(wall), 1), "peak_rss_mib": round(int(rss_kib) / 1024),
            "log": str(log)}


def _node_seconds(text: str) -> float | None:
    found = re.findall(r"OK created python table model \S+\.int_forecast_outputs\s.*?OK(?:\x1b\[0m)? in ([0-9.]+)s\]",
                       text)
    return float(found[-1]) if found else None


def _reuse_line(text: str) -> str | None:
    lines = [line.split("forecasting: ", 1)[1] for line in text.splitlines() if "forecasting: " in line]
    return lines[0] if lines else None


def run_size(n_skus: int, seed: int, work: Path, dbt_vars: str | None = None) -> dict:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    env = {**os.environ, "SOP_LANDING_DIR": str(work / "demo" / "landing"), "SOP_DUCKDB_PATH": str(work / "sop.duckdb"),
           "SOP_PUBLISH_DIR": str(work / "published"), "DBT_TARGET_PATH": str(work / "target"),
           "DBT_LOG_PATH": str(work / "logs"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("SOP_CYCLE", None)
    n_customers = max(200, n_skus // 2)
    generator = _timed([sys.executable, "-m", "sop_analytics.demo", "--seed", str(seed), "--skus", str(n_skus),
                        "--customers", str(n_customers), "--out", str(work / "demo")], env, work / "generate.log")
    result = {"skus": n_skus, "customers": n_customers, "vars": dbt_vars or "", "generator": generator}
    if generator["exit_code"] != 0:
        return result
    dbt = [str(Path(sys.executable).parent / "dbt"), "build", "--profiles-dir", str(ROOT), "--project-dir", str(ROOT)]
    nightly = [sys.executable, "-m", "sop_analytics.nightly", "--project-dir", str(ROOT)]
    if dbt_vars:
        dbt += ["--vars", dbt_vars]
        nightly += ["--", "--vars", dbt_vars]
    for step, command in (("full_build", nightly), ("nightly_unchanged", nightly), ("unchanged_rebuild", dbt)):
        run = _timed(command, env, work / f"{step}.log")
        text = Path(run["log"]).read_text(errors="replace")
        run.update(forecast_node_s=_node_seconds(text), forecasting=_reuse_line(text),
                   full_reparse="Unable to do partial parsing" in text,
                   skipped="nightly: nothing changed since published build" in text)
        result[step] = run
        if run["exit_code"] != 0:
            break
    result["load_average_after"] = os.getloadavg()
    return result


def _table(results: list[dict]) -> str:
    rows = ["| SKUs | generator s / MiB | full build s | peak RSS MiB | forecast node s | unchanged nightly s "
            "(ratio) | unchanged dbt build s (ratio) | rebuild node s | rebuild forecasting |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]

    def ratio(step: dict, full: dict, *extra: str) -> str:
        parts = [f"{step['wall_s'] / full['wall_s']:.1%}"] if step.get("wall_s") and full.get("wall_s") else []
        parts += list(extra)
        return f" ({', '.join(parts)})" if parts else ""

    for r in results:
        full, skip, again = r.get("full_build", {}), r.get("nightly_unchanged", {}), r.get("unchanged_rebuild", {})
        rows.append(f"| {r['skus']:,} | {r['generator']['wall_s']} / {r['generator']['peak_rss_mib']} | "
                    f"{full.get('wall_s', '-')} | {full.get('peak_rss_mib', '-')} | {full.get('forecast_node_s', '-')} | "
                    f"{skip.get('wall_s', '-')}{ratio(skip, full, 'skipped' if skip.get('skipped') else 'built')} | "
                    f"{again.get('wall_s', '-')}{ratio(again, full)} | {again.get('forecast_node_s', '-')} | "
                    f"{again.get('forecasting', '-')} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench_build")
    parser.add_argument("--vars", default=None, help="dbt --vars for both builds, e.g. '{forecast_max_backtest_series: null}'")
    args = parser.parse_args(argv)
    if not Path(TIME).exists():
        raise SystemExit(f"{TIME} (GNU time) is needed to measure peak memory: apt-get install time")
    results = [run_size(n, args.seed, args.out / str(n), args.vars) for n in args.sizes]
    (args.out / "result.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    print(_table(results))
    failed = [r["skus"] for r in results if any(r.get(k, {}).get("exit_code") for k in
                                                 ("generator", "full_build", "nightly_unchanged",
                                                  "unchanged_rebuild"))]
    if failed:
        raise SystemExit(f"a step failed at {failed} SKUs; see the logs under {args.out}")


if __name__ == "__main__":
    main()
