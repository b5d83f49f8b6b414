#!/usr/bin/env bash
# Start the planner's workbench (Streamlit) on the demo, after scripts/demo.sh:
#   bash scripts/app.sh                 # http://127.0.0.1:8501
#   PORT=8600 bash scripts/app.sh
# It reads only the published build (SOP_PUBLISH_DIR, default build/published: the folder
# CURRENT names) and appends decisions to the landing folder's plan/decisions.csv and
# plan/leadership_decisions.csv (SOP_LANDING_DIR, default the demo's). The demo company's
# cycles are in the past, so decisions are recorded five days into the published cycle
# (SOP_APP_CLOCK=cycle) and the next cycle's build applies them; set SOP_APP_CLOCK=real
# for a live company.
set -euo pipefail
cd "$(dirname "$0")/.."
source .venv/bin/activate

export SOP_PUBLISH_DIR="${SOP_PUBLISH_DIR:-build/published}"
export SOP_LANDING_DIR="${SOP_LANDING_DIR:-data/demo/landing}"
export SOP_APP_CLOCK="${SOP_APP_CLOCK:-cycle}"
export SOP_APP_USER="${SOP_APP_USER:-${USER:-planner}}"
if [ ! -f "$SOP_PUBLISH_DIR/CURRENT" ]; then
    echo "app: nothing published in $SOP_PUBLISH_DIR (no CURRENT): run bash scripts/demo.sh first" >&2
    exit 1
fi
exec streamlit run src/sop_analytics/app/streamlit_app.py \
    --server.address "${ADDRESS:-127.0.0.1}" --server.port "${PORT:-8501}" \
    --server.headless true --browser.gatherUsageStats false
