#!/usr/bin/env bash
# Set up (if needed), lint, and run every test, real-browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
PY=${PYTHON:-python3}
"$PY" -m ruff check .
"$PY" -m ruff format --check .
# pytest exits 5 when it collects no tests; with `set -e` that fails the run instead of passing silently.
"$PY" -m pytest -q "$@"
