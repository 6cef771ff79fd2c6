#!/usr/bin/env bash
# Install everything the tests need (Debian's Chromium and nginx included) and run the whole suite:
# lint, types (mypy --strict), questionnaire check, unit, integration, AppTest and end-to-end browser tests.
# .ci/run calls exactly this script. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# Only what is missing: a machine whose Node.js comes with its own npm (e.g. NodeSource's package)
# cannot take Debian's npm beside it (the two packages conflict).
PACKAGES=""
[ -x /usr/bin/chromium ] || PACKAGES="$PACKAGES chromium fonts-dejavu-core"
# The same Chromium's headless build, which the browser tests drive (tests/support/devserver.py).
[ -x /usr/lib/chromium/chromium-headless-shell ] || PACKAGES="$PACKAGES chromium-headless-shell"
[ -x /usr/sbin/nginx ] || PACKAGES="$PACKAGES nginx"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || PACKAGES="$PACKAGES postgresql"
command -v npm >/dev/null || PACKAGES="$PACKAGES npm"
if [ -n "$PACKAGES" ]; then
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086  # one word per package
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null
fi
# axe-core (pinned in package-lock.json) for the accessibility check in tests/e2e; installed again
# only when package-lock.json changed since the last install (npm ci empties node_modules first).
LOCK_SUM=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/axe-core/axe.min.js ] || [ "$(cat node_modules/.mintqo-lock.sha256 2>/dev/null)" != "$LOCK_SUM" ]; then
  npm ci --no-audit --no-fund --silent
  echo "$LOCK_SUM" >node_modules/.mintqo-lock.sha256
fi
# The virtualenv: .venv if the checkout has one, else one in the user's cache, keyed by the pins and
# the Python version, that .venv links to. A fresh clone with the same pins reuses it (a minute of
# pip saved, and mypy's cache stays valid: it is keyed by the installed packages' paths); new pins
# get a new one. Whatever is in it, the check below installs what is not pinned as pinned.
if [ ! -e .venv ]; then
  VENV_KEY=$( (cat requirements.txt requirements-dev.txt; python3 --version) | sha256sum | cut -c1-16)
  VENV="${XDG_CACHE_HOME:-$HOME/.cache}/mintqo/venv-$VENV_KEY"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  ln -s "$VENV" .venv
elif [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# pip takes seconds even when nothing is missing; ask it only when a pin is not installed as pinned.
# No byte-compiling of every installed file (plotly alone has thousands): Python compiles what it imports.
if ! .venv/bin/python tests/support/pins_installed.py requirements-dev.txt >/dev/null; then
  .venv/bin/python -m pip install --quiet --no-compile --disable-pip-version-check -r requirements-dev.txt
fi

# Compiled modules (bytecode) are cached in one place outside the checkout, also where the environment
# says not to write them (PYTHONDONTWRITEBYTECODE, as on this machine): otherwise every process the
# suite starts (pytest workers, app servers, CLI runs) compiles Streamlit, plotly and SQLAlchemy from
# source again – about 3 s of CPU each (`import app`: 4.4 s without the cache, 1.4 s with it).
# Python checks each cached file against its source's size and time, so a changed file is compiled anew.
export PYTHONPYCACHEPREFIX="${XDG_CACHE_HOME:-$HOME/.cache}/mintqo/pycache"
unset PYTHONDONTWRITEBYTECODE

.venv/bin/ruff check .
.venv/bin/ruff format --check .
# mypy's cache lives outside the checkout, so a fresh clone (CI) checks only what changed; mypy compares
# each cached module with its source by content, so the cache is never trusted blindly.
MYPY_CACHE_DIR="${MYPY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/mintqo/mypy}" .venv/bin/mypy --strict mintqo bench
for f in data/questionnaires/*.yaml; do
  .venv/bin/python -m mintqo questionnaire check "$f"
done
# Everything the tests write is thrown away afterwards, so it lives in memory (tmpfs) where the
# machine has one: the temp-file SQLite databases (WAL, synchronous=FULL as in production) then
# sync to RAM instead of the disk, which halves the integration tests' time. The app's durability
# settings are the same; only the throw-away files' medium differs.
TEST_TMP=$(mktemp -d /dev/shm/mintqo-tests.XXXXXX 2>/dev/null || mktemp -d /tmp/mintqo-tests.XXXXXX)
chmod 755 "$TEST_TMP"
export TMPDIR="$TEST_TMP"
# A throw-away PostgreSQL cluster, so the integration tests also run on PostgreSQL. It is thrown
# away after the run, so it need not survive a power cut: no fsync (the tests' answers still go
# through PostgreSQL's full transaction and constraint machinery).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi
}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDIR=$(mktemp -d "$TEST_TMP/pg.XXXXXX")
PGPORT=$(.venv/bin/python -c "from tests.support.devserver import free_port; print(free_port())")
$SUDO chown postgres "$PGDIR"
as_postgres "$PGBIN/initdb -D $PGDIR/db -A trust -U postgres >/dev/null"
PGOPTS="-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
as_postgres "$PGBIN/pg_ctl -D $PGDIR/db -l $PGDIR/log -w -o '$PGOPTS' start >/dev/null"
trap 'as_postgres "$PGBIN/pg_ctl -D $PGDIR/db -m fast stop >/dev/null"; $SUDO rm -rf "$TEST_TMP"' EXIT
export MINTQO_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
export MINTQO_TEST_HYPOTHESIS_PROFILE=ci  # random inputs, no deadlines, committed examples replayed

# Two workers (pytest-xdist) on a 2-core machine: e2e tests wait for a browser and a server much of the
# time. Each worker has its own temp dirs, e2e server and browser, and PostgreSQL database
# (tests/integration/conftest.py); tests marked xdist_group stay on one worker. `-n 0` turns it off.
.venv/bin/python -m pytest -n "${MINTQO_TEST_WORKERS:-2}" --dist loadgroup --basetemp "$TEST_TMP/pytest" "$@"
