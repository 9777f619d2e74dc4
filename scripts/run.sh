#!/usr/bin/env bash
# Set up (if needed) and start CX Lens on the bundled sample data: http://localhost:8501
# Extra arguments go to `cxlens app` (streamlit options), e.g. bash scripts/run.sh --server.port=8502
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
bash scripts/setup.sh

port=8501
for ((i = 1; i <= $#; i++)); do
  case "${!i}" in
    --server.port=*) port=${!i#*=} ;;
    --server.port) j=$((i + 1)); port=${!j:-$port} ;;
  esac
done
url="http://localhost:$port"

opener=""
if [ "$(uname -s)" = Darwin ]; then
  opener=open
elif [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && command -v xdg-open >/dev/null 2>&1; then
  opener=xdg-open
fi
if [ -z "$opener" ]; then
  cx_say "Starting CX Lens. Open $url in your browser (Ctrl-C stops the server)."
  exec cxlens app "$@"
fi

cx_say "Starting CX Lens at $url; your browser opens when it is ready (Ctrl-C stops the server)."
cxlens app "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null; wait "$server"; exit 130' INT TERM
for _ in $(seq 1 120); do
  kill -0 "$server" 2>/dev/null || break
  if "$CX_PY" -c "import urllib.request as u; u.urlopen('$url/_stcore/health', timeout=1)" 2>/dev/null; then
    "$opener" "$url" >/dev/null 2>&1 || cx_say "Open $url in your browser."
    break
  fi
  sleep 0.5
done
wait "$server"
