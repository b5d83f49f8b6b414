"""Print the forecast value added (FVA) table of a build: every number in the room scored
per family at one lag from ``marts.rpt_accuracy_by_number``, as a Markdown table.

    python scripts/fva_table.py                                    # build/sop.duckdb, lag 1
    python scripts/fva_table.py --database build/sop.duckdb --lag 2 --manifest data/demo/manifest.json

Each cell is RMSSE / WAPE of that number over the published cycles (RMSSE first: on
intermittent demand WAPE rewards forecasting nothing). The last columns are the
consensus's and sales' FVA against the statistical baseline in RMSSE (positive = better
than the baseline). With ``--manifest`` (a demo company's), the families a plant touches
are named in the last column.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import duckdb

NUMBERS = ["statistical_baseline", "naive", "seasonal_naive", "sales", "operations", "consensus"]
LABELS = {"statistical_baseline": "baseline", "seasonal_naive": "seasonal naive"}


def planted_families(manifest: dict) -> dict[str, list[str]]:
    """Family -> the demand-side plants touching it (level shift, customer mix, supplier delay)."""
    out: dict[str, list[str]] = {}
    for plant in manifest.get("plants", []):
        if plant["type"] == "level_shift":
            out.setdefault(plant["family"], []).append(f"level shift x{plant['factor']} from {plant['start_period']}")
        elif plant["type"] in ("customer_mix_shift", "supplier_delay") and plant.get("family"):
            out.setdefault(plant["family"], []).append(plant["type"].replace("_", " "))
    return out


def cell(rmsse: float | None, wape: float | None) -> str:
    def fmt(value: float | None) -> str:
        return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.3f}"
    return f"{fmt(rmsse)} / {fmt(wape)}"


def table(database: Path, lag: int, manifest: dict | None) -> str:
    con = duckdb.connect(str(database), read_only=True)
    try:
        rows = con.execute(
            "select master_family, number_source, rmsse, wape, fva_rmsse_vs_baseline, n_cycles "
            "from marts.rpt_accuracy_by_number where lag = ? and aggregation_level in ('family', 'company')",
            [lag]).fetchall()
    finally:
        con.close()
    scores = {(family, number): (rmsse, wape, fva, cycles) for family, number, rmsse, wape, fva, cycles in rows}
    families = sorted({family for family, _ in scores if family != "(all)"}) + ["(all)"]
    plants = planted_families(manifest) if manifest else {}
    head = ["family", *[LABELS.get(n, n) for n in NUMBERS], "FVA consensus", "FVA sales", "cycles"]
    if manifest:
        head.append("planted")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for family in families:
        values = [cell(*scores.get((family, n), (None, None, None, None))[:2]) for n in NUMBERS]
        fva = [scores.get((family, n), (None, None, None, None))[2] for n in ("consensus", "sales")]
        cycles = scores.get((family, "statistical_baseline"), (None, None, None, None))[3]
        row = [family, *values, *("n/a" if v is None else f"{v:+.3f}" for v in fva), str(cycles or "")]
        if manifest:
            row.append("; ".join(plants.get(family, [])) or "none")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, default=Path("build/sop.duckdb"))
    parser.add_argument("--lag", type=int, default=1)
    parser.add_argument("--manifest", type=Path, default=None)
    args = parser.parse_args()
    manifest = json.loads(args.manifest.read_text(encoding="utf-8")) if args.manifest else None
    print(f"RMSSE / WAPE at lag {args.lag}, per family, pooled over the published cycles ({args.database})\n")
    print(table(args.database, args.lag, manifest))


if __name__ == "__main__":
    main()
