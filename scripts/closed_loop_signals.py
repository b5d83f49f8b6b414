"""Count the closed loop's false and true signals on clean and planted demo companies.

    python scripts/closed_loop_signals.py                       # 3 seeds x 2 archetypes, clean + planted
    python scripts/closed_loop_signals.py --seeds 42 --archetypes medical --variants clean
    python scripts/closed_loop_signals.py --write build/closed_loop_signals.md

For every seed x archetype x variant: generate the demo (``--skus``, ``--customers``),
replay ``--previous`` cycles with the scripted planner (``python -m sop_analytics.cycles``)
in a scratch folder, then count from the build:

- escalations (rpt_miss_escalations) by cause, and per 100 SKUs per judged cycle; the ones
  open in the current cycle; root causes (fct_plan_miss_root_causes) and proposals
  (fct_plan_proposals);
- on planted variants, the share of each planted effect attributed to its cause in the
  plans published before the plant could be seen (cycle <= the plant's start): supply
  (the S-104 shortfall found as supply disruption, lag 1), the level shift (its extra
  25% found as forecast error), and the mix shift on its receiving and its giving SKU (the
  moved units found as customer mix, with the right sign).

The done-when of the closed-loop issue: on clean, at most 1 escalation per 100 SKUs per
cycle and no forecast-error or customer-mix escalation open in the current cycle; on
planted, >= 80% of each planted effect attributed. Slow (one multi-cycle build per row):
a benchmark, not a test. ``--write`` writes the table as markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sop_analytics.demo.signals import signal_counts  # noqa: E402


def build(seed: int, archetype: str, variant: str, skus: int, customers: int, previous: int,
          work: Path, cycle: str | None = None) -> tuple[Path, dict, float]:
    """Generate one demo company and replay its cycles; (database, manifest, seconds)."""
    out = work / f"{archetype}_{variant}_{seed}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "sop_analytics.demo", "--seed", str(seed), "--out", str(out),
                    "--variant", variant, "--archetype", archetype, "--skus", str(skus),
                    "--customers", str(customers)], check=True, env=env, cwd=ROOT, capture_output=True)
    database = out / "sop.duckdb"
    env.update(SOP_LANDING_DIR=str(out / "landing"), SOP_DUCKDB_PATH=str(database),
               SOP_PUBLISH_DIR=str(out / "published"), DBT_TARGET_PATH=str(out / "target"),
               DBT_LOG_PATH=str(out / "logs"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    started = time.monotonic()
    command = [sys.executable, "-m", "sop_analytics.cycles", "--previous", str(previous),
               "--fresh-archive", "--scripted-planner", "--project-dir", str(ROOT)]
    if cycle:
        command += ["--vars", json.dumps({"cycle": cycle})]
    done = subprocess.run(command,
                          env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"cycles failed for {out.name}:\n{(done.stdout + done.stderr)[-3000:]}")
    return database, json.loads((out / "manifest.json").read_text()), time.monotonic() - started


COLUMNS = ["archetype", "variant", "seed", "skus", "cycles", "escalations", "esc_per_100_skus_cycle",
           "esc_supply", "esc_forecast_error", "esc_customer_mix", "open_forecast_error", "open_customer_mix",
           "rc_forecast_error", "rc_customer_mix", "rc_supply", "proposals", "supply_found", "level_shift_found",
           "mix_receiving_found", "mix_giving_found", "build_s"]


def markdown(rows: list[dict]) -> str:
    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:.2f}"
        return str(v)
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in COLUMNS) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[42, 7, 2026])
    parser.add_argument("--archetypes", nargs="+", default=["medical", "distributor"])
    parser.add_argument("--variants", nargs="+", default=["clean", "planted"])
    parser.add_argument("--skus", type=int, default=120)
    parser.add_argument("--customers", type=int, default=60)
    parser.add_argument("--previous", type=int, default=8, help="cycles replayed before the current one")
    parser.add_argument("--cycle", default=None,
                        help="the current cycle (default: the demo's, after its last closed period)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("--write", type=Path, default=None, help="write the table (markdown) here")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="closed_loop_signals_"))
    rows = []
    for archetype in args.archetypes:
        for variant in args.variants:
            for seed in args.seeds:
                database, manifest, seconds = build(seed, archetype, variant, args.skus, args.customers,
                                                    args.previous, work, args.cycle)
                row = {"archetype": archetype, "variant": variant, "seed": seed, **signal_counts(database, manifest),
                       "build_s": round(seconds)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    table = markdown(rows)
    print(table)
    if args.write:
        args.write.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
