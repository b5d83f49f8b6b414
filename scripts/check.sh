#!/usr/bin/env bash
# Set up and run every check: sqlfluff lint, dbt build with all tests on the demo
# company, and pytest (which also builds the clean, broken and car-parts variants).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source .venv/bin/activate

export SOP_LANDING_DIR="${SOP_LANDING_DIR:-data/demo/landing}"
export SOP_DUCKDB_PATH="${SOP_DUCKDB_PATH:-build/sop.duckdb}"
mkdir -p build

echo "== sqlfluff lint"
sqlfluff lint --processes 0 models tests/generic analyses

echo "== demo company + dbt build (all tests)"
python -m sop_analytics.demo --seed 42 --out data/demo
python -m sop_analytics.cycles --previous 8 --fresh-archive --scripted-planner 2>&1 | tee build/demo_cycles.log
dbt docs generate --profiles-dir . --project-dir . > /dev/null

echo "== semantic layer: mf validate-configs against the built database"
mf validate-configs

echo "== pytest"
# the session's planted demo build (tests/python/conftest.py) reuses the build above when
# its landing folder is byte for byte the one the fixture generates, instead of a second one
# on every core: conftest.py keeps the tests that share a build on one worker (see there)
SOP_REUSE_DEMO_BUILD=1 python -m pytest -n auto --dist loadgroup --no-loadscope-reorder --durations=40
