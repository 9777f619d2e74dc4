#!/usr/bin/env bash
# Set up (if needed), lint, and run every test, real-browser tests included.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
bash scripts/setup.sh --test
cx_say "Lint (ruff) and tests (pytest) with $CX_PY"
"$CX_PY" -m ruff check .
"$CX_PY" -m ruff format --check .
# pytest exits 5 when it collects no tests; with `set -e` that fails the run instead of passing silently.
"$CX_PY" -m pytest -q "$@"
