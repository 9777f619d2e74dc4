# Sourced by setup.sh, run.sh and test.sh: pick the Python environment CX Lens installs into and runs from.
# Inside a virtual environment (activated, or PYTHON pointing into one) that environment is used.
# Otherwise ./.venv is created (python3 -m venv) and used: Debian and Ubuntu refuse `pip install` into
# the system Python (PEP 668, "externally-managed-environment"), and a venv keeps the system clean.
# Sets CX_PY (the interpreter) and puts its bin/ first on PATH, so `python` and `cxlens` are the venv's.

cx_say() { printf '==> %s\n' "$*"; }

CX_BASE=${PYTHON:-python3}
if ! command -v "$CX_BASE" >/dev/null 2>&1; then
  echo "error: $CX_BASE not found. Install Python 3.11 or newer (Debian/Ubuntu: sudo apt install python3 python3-venv)." >&2
  exit 1
fi
if ! "$CX_BASE" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "error: CX Lens needs Python 3.11 or newer; $CX_BASE is $("$CX_BASE" -V 2>&1)." >&2
  exit 1
fi
if "$CX_BASE" -c 'import sys; sys.exit(sys.prefix == sys.base_prefix)'; then
  CX_PY=$("$CX_BASE" -c 'import sys; print(sys.executable)')
else
  if [ ! -x .venv/bin/python ]; then
    cx_say "Creating a virtual environment in $PWD/.venv ($CX_BASE -m venv .venv)"
    if ! "$CX_BASE" -m venv .venv; then
      rm -rf .venv
      echo "error: could not create .venv. On Debian/Ubuntu install the venv module first: sudo apt install python3-venv" >&2
      exit 1
    fi
  fi
  CX_PY=$PWD/.venv/bin/python
fi
VIRTUAL_ENV=$("$CX_PY" -c 'import sys; print(sys.prefix)')
PATH="$(dirname "$CX_PY"):$PATH"
export VIRTUAL_ENV PATH CX_PY
