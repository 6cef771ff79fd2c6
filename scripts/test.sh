#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium included) and run the whole suite:
# lint, questionnaire check, unit, integration, AppTest and end-to-end browser tests.
# .ci/run calls exactly this script. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

.venv/bin/ruff check .
.venv/bin/ruff format --check .
for f in data/questionnaires/*.yaml; do
  .venv/bin/python -m mintqo questionnaire check "$f"
done
.venv/bin/python -m pytest "$@"
