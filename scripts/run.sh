#!/usr/bin/env bash
# Set up (if needed) and open CX Lens on the bundled sample data: http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec "${PYTHON:-python3}" -m streamlit run app.py "$@"
