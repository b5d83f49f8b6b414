#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install the project with its
# pinned dependencies. Safe to re-run: an up-to-date .venv is reused.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.sop-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e '.[dev,dask]'
    touch "$stamp"
fi

# Headless Chromium (Debian's package) renders the S&OP pack in its browser test. Best
# effort: without it (no root, no apt) everything else still runs and that test says it
# was skipped and why.
# chromium-driver lets the workbench's browser test click through the app (selenium).
if { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; } \
        && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium chromium-driver >/dev/null) \
        || echo "setup: could not install chromium / chromium-driver; the browser tests will be skipped" >&2
fi
