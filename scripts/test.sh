#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium and nginx included) and run the whole suite:
# lint, types (mypy --strict), questionnaire check, unit, integration, AppTest and end-to-end browser tests.
# .ci/run calls exactly this script. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/sbin/nginx ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! command -v npm >/dev/null; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core postgresql nginx npm >/dev/null
fi
# axe-core (pinned in package-lock.json) for the accessibility check in tests/e2e.
npm ci --no-audit --no-fund --silent
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy --strict mintqo
for f in data/questionnaires/*.yaml; do
  .venv/bin/python -m mintqo questionnaire check "$f"
done
# A throw-away PostgreSQL cluster, so the integration tests also run on PostgreSQL.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDIR=$(mktemp -d /tmp/mintqo-pg.XXXXXX)
PGPORT=$(.venv/bin/python -c "from tests.support.devserver import free_port; print(free_port())")
$SUDO chown postgres "$PGDIR"
as_postgres "$PGBIN/initdb -D $PGDIR/db -A trust -U postgres >/dev/null"
as_postgres "$PGBIN/pg_ctl -D $PGDIR/db -l $PGDIR/log -w -o '-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1' start >/dev/null"
trap 'as_postgres "$PGBIN/pg_ctl -D $PGDIR/db -m fast stop >/dev/null"; $SUDO rm -rf "$PGDIR"' EXIT
export MINTQO_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
export MINTQO_TEST_HYPOTHESIS_PROFILE=ci  # random inputs, no deadlines, committed examples replayed

.venv/bin/python -m pytest "$@"
