#!/usr/bin/env bash
# Create the project's virtual environment (.venv) and install the project with its
# pinned dependencies. Safe to re-run: an up-to-date .venv is reused.
#   bash scripts/setup.sh               # everything check.sh needs, the test browser too
#   bash scripts/setup.sh --no-browser  # without Chromium (demo.sh: the demo needs no browser)
set -euo pipefail
cd "$(dirname "$0")/.."

browser=1
for arg in "$@"; do
    case "$arg" in
        --no-browser) browser=0 ;;
        *) echo "setup: unknown argument $arg (expected --no-browser)" >&2; exit 2 ;;
    esac
done

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
if [ "$browser" = 1 ] && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; } \
        && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (timeout 600 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq chromium chromium-driver >/dev/null) \
        || echo "setup: could not install chromium / chromium-driver; the browser tests will be skipped" >&2
fi
