"""Count the closed loop's false and true signals on clean and planted demo companies.

    python scripts/closed_loop_signals.py                       # 3 seeds x 2 archetypes, clean + planted
    python scripts/closed_loop_signals.py --seeds 42 --archetypes medical --variants clean
    python scripts/closed_loop_signals.py --write docs/closed_loop_signals.md

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

import duckdb

ROOT = Path(__file__).resolve().parents[1]


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


def _plant(manifest: dict, kind: str) -> dict | None:
    found = [p for p in manifest["plants"] if p["type"] == kind]
    return found[0] if found else None


def count(database: Path, manifest: dict) -> dict:
    """The signal counts of one build."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        q = lambda sql: con.sql(sql).fetchall()  # noqa: E731
        [(n_skus,)] = q("select count(distinct master_sku) from marts.fct_plan_miss_decomposition")
        [(n_cycles,)] = q("select count(distinct cycle) from marts.fct_plan_miss_decomposition where lag = 1")
        esc = dict(q("select cause, count(*) from marts.rpt_miss_escalations group by cause"))
        open_esc = dict(q("select cause, count(*) from marts.rpt_miss_escalations where status = 'open' group by cause"))
        causes = dict(q("select root_cause, count(*) from marts.fct_plan_miss_root_causes group by root_cause"))
        [(n_proposals,)] = q("select count(*) from marts.fct_plan_proposals")
        row = {
            "skus": n_skus, "cycles": n_cycles,
            "escalations": sum(esc.values()),
            "esc_per_100_skus_cycle": 100 * sum(esc.values()) / max(n_skus, 1) / max(n_cycles, 1),
            "esc_supply": esc.get("supply_disruption", 0), "esc_forecast_error": esc.get("forecast_error", 0),
            "esc_customer_mix": esc.get("customer_mix", 0),
            "open_forecast_error": open_esc.get("forecast_error", 0), "open_customer_mix": open_esc.get("customer_mix", 0),
            "rc_forecast_error": causes.get("forecast_error", 0), "rc_customer_mix": causes.get("customer_mix", 0),
            "rc_supply": causes.get("supply_disruption", 0), "proposals": n_proposals,
        }
        d = con.sql("select * from marts.fct_plan_miss_decomposition").df()
    finally:
        con.close()
    for col in ("requested_units", "shipped_units", "forecast_error_units", "customer_mix_units",
                "supply_disruption_units"):
        d[col] = d[col].astype(float)
    delay, shift, mix = (_plant(manifest, k) for k in ("supplier_delay", "level_shift", "customer_mix_shift"))
    if delay:
        rows = d[d["master_sku"].isin(delay["master_skus"]) & d["period_id"].isin(delay["periods"]) & (d["lag"] == 1)]
        shortfall = -(rows["shipped_units"] - rows["requested_units"]).sum()
        row["supply_found"] = -rows["supply_disruption_units"].sum() / shortfall if shortfall > 0 else None
    if shift:
        rows = d[d["master_sku"].isin(shift["master_skus"]) & (d["cycle"] <= shift["start_period"])
                 & (d["period_id"] >= shift["start_period"])]
        planted = (rows["requested_units"] * (1 - 1 / shift["factor"])).sum()
        row["level_shift_found"] = rows["forecast_error_units"].sum() / planted if planted > 0 else None
    if mix:
        start = mix["start_period"]
        rows = d[(d["cycle"] <= start) & (d["period_id"] >= start)]
        for side, key, sign in (("mix_receiving_found", "sku_to", 1), ("mix_giving_found", "sku_from", -1)):
            sku_rows = rows[rows["master_sku"] == mix[key]["master_sku"]]
            moved = sum(mix["units_moved_by_period"].get(p, 0) for p in sku_rows["period_id"])
            row[side] = sign * sku_rows["customer_mix_units"].sum() / moved if moved > 0 else None
    return row


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
    parser.add_argument("--skus", type=int, default=60)
    parser.add_argument("--customers", type=int, default=30)
    parser.add_argument("--previous", type=int, default=3, help="cycles replayed before the current one")
    parser.add_argument("--cycle", default="2026-06",
                        help="the current cycle (default 2026-06: the cycles before it see every plant start)")
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
                row = {"archetype": archetype, "variant": variant, "seed": seed, **count(database, manifest),
                       "build_s": round(seconds)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    table = markdown(rows)
    print(table)
    if args.write:
        args.write.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
