#!/usr/bin/env bash
# Install (first run only) and start mintqo on the embedded SQLite database (var/mintqo.sqlite3).
# Extra arguments go to `streamlit run`, e.g. `bash scripts/start.sh --server.port 8080`.
set -euo pipefail
cd "$(dirname "$0")/.."
# The PDF report draws its charts with Debian's Chromium (MINTQO_BROWSER_PATH); without it the
# report still comes, with a note instead of the charts.
if [ ! -x /usr/bin/chromium ] && [ -z "${MINTQO_BROWSER_PATH:-}" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; } ||
    echo "Chromium ließ sich nicht installieren: PDF-Berichte kommen ohne Grafiken." >&2
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
port=8501
for arg in "$@"; do
  case "$arg" in --server.port=*) port="${arg#*=}" ;; esac
done
prev=""
for arg in "$@"; do
  [ "$prev" = "--server.port" ] && port="$arg"
  prev="$arg"
done
echo "mintqo startet – öffnen Sie http://localhost:$port im Browser (Beenden mit Strg+C)."
exec .venv/bin/python -m streamlit run app.py "$@"
