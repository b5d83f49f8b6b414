"""Command line: ``python -m sop_analytics.demo --seed 42 --out data/demo``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .generator import ARCHETYPES, VARIANTS, generate


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(prog="python -m sop_analytics.demo",
                                     description="Write the demo company's landing folder and manifest.json.")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, default=Path("data/demo"), help="output folder (default data/demo)")
    parser.add_argument("--variant", choices=VARIANTS, default="planted",
                        help="planted (default): with the 8 planted problems; clean: without")
    parser.add_argument("--archetype", choices=ARCHETYPES, default="medical",
                        help="medical (default): the medical devices company; distributor: the same business "
                             "as a distributor's systems write it (digits-only ERP codes, region-suffixed CRM "
                             "codes, history from 1967, extract ending mid-period, no fiscal calendar)")
    parser.add_argument("--skus", type=int, default=420, help="number of SKUs (default 420, at least 29)")
    parser.add_argument("--customers", type=int, default=200, help="number of customers (default 200)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Generate and print a one-line summary per file."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    try:
        manifest = generate(args.out, seed=args.seed, variant=args.variant, n_skus=args.skus,
                            n_customers=args.customers, archetype=args.archetype)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path, info in manifest["files"].items():
        print(f"{info['rows']:>9}  {path}")
    print(f"{len(manifest['plants'])} plants; wrote {args.out} in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
