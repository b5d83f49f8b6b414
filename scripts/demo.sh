#!/usr/bin/env bash
# Set up and run the demo end to end: generate the demo company's landing folder, build
# every model and test with dbt (after replaying the earlier planning cycles, so accuracy
# has published plans to score), and generate the dbt docs (the data dictionary).
#   bash scripts/demo.sh            # demo company, seed 42
#   SEED=7 bash scripts/demo.sh     # another demo company
#   CYCLES=3 bash scripts/demo.sh   # publish 3 earlier cycles (default 8) before the current one
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-browser  # the browser is for check.sh's browser tests only
source .venv/bin/activate

seed="${SEED:-42}"
export SOP_LANDING_DIR="${SOP_LANDING_DIR:-data/demo/landing}"
export SOP_DUCKDB_PATH="${SOP_DUCKDB_PATH:-build/sop.duckdb}"
mkdir -p build

echo "== generating the demo company (seed $seed) into data/demo"
python -m sop_analytics.demo --seed "$seed" --out data/demo

echo "== dbt: ${CYCLES:-8} earlier cycles published, then dbt build of the current cycle"
python -m sop_analytics.cycles --previous "${CYCLES:-8}" --fresh-archive --scripted-planner

echo "== dbt docs generate"
dbt docs generate --profiles-dir . --project-dir . > /dev/null

echo "== the S&OP pack"
python -m sop_analytics.pack --database "$SOP_DUCKDB_PATH" --out build/pack

echo "== summary"
python -m sop_analytics.summary --database "$SOP_DUCKDB_PATH"
echo
echo "Database: $SOP_DUCKDB_PATH   Published (BI tools): build/published/CURRENT   Pack: build/pack/sop_pack_<cycle>.html"
echo "Docs: dbt docs serve --profiles-dir .   (or open target/index.html)"
