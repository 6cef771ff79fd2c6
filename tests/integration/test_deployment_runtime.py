"""Replicas at run time: maintenance page for a schema that does not fit, pool, JSON logs, nginx config."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from streamlit.testing.v1 import AppTest

from mintqo.config import PROJECT_ROOT, Settings
from mintqo.db.engine import alembic_config, make_engine, migrate
from mintqo.logging_setup import JsonFormatter
from mintqo.ui import resources
from tests.support.devserver import free_port

APP = str(PROJECT_ROOT / "app.py")
MAINTENANCE = "mintqo wird gerade aktualisiert …"
NGINX = Path("/usr/sbin/nginx")
POSTGRES_URL = os.environ.get("MINTQO_TEST_POSTGRES_URL")
TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


def _head(settings: Settings) -> str:
    """The newest migration this code knows."""
    return ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head() or ""


def _run_app(monkeypatch: pytest.MonkeyPatch, settings: Settings, auto_migrate: bool) -> AppTest:
    monkeypatch.setenv("MINTQO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MINTQO_AUTO_MIGRATE", "true" if auto_migrate else "false")
    resources._sessions.clear()  # a new process, as far as the engine cache is concerned
    return AppTest.from_file(APP, default_timeout=60).run()


def test_a_replica_refuses_a_schema_it_does_not_know_with_a_maintenance_page(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Empty database, app not allowed to migrate: maintenance page, nothing created.
    caplog.set_level(logging.ERROR, logger="mintqo.ui.resources")
    at = _run_app(monkeypatch, settings, auto_migrate=False)
    assert not at.exception
    assert [t.value for t in at.title] == [MAINTENANCE]
    engine = make_engine(settings.database_url)
    try:
        assert inspect(engine).get_table_names() == []

        # A schema written by a newer release: refused even with auto-migrate on, schema untouched.
        migrate(settings.database_url)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
        at = _run_app(monkeypatch, settings, auto_migrate=True)
        assert not at.exception
        assert [t.value for t in at.title] == [MAINTENANCE]
        at.run()  # every visitor gets the page; the log gets one line
        assert [t.value for t in at.title] == [MAINTENANCE]
        lines = [r.getMessage() for r in caplog.records if "schema not servable" in r.getMessage()]
        assert lines == [
            f"schema not servable: status=empty database_revision=none code_head={_head(settings)}",
            f"schema not servable: status=ahead database_revision=9999_newer code_head={_head(settings)}",
        ]
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9999_newer"

        # Once the migration job has run, the same replica serves (a refusal is not cached).
        with engine.begin() as conn:
            conn.execute(text(f"UPDATE alembic_version SET version_num = '{_head(settings)}'"))
        at.run()
        assert not at.exception
        assert MAINTENANCE not in [t.value for t in at.title]
        assert any(h.value == "Selbstanalyse für MINT-Initiativen" for h in [*at.title, *at.header])

        # Rolled-back code serves a newer schema only when the operator accepts it explicitly.
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_newer'"))
        monkeypatch.setenv("MINTQO_ACCEPT_SCHEMA_REVISIONS", "9999_newer")
        at = _run_app(monkeypatch, settings, auto_migrate=False)
        assert not at.exception
        assert MAINTENANCE not in [t.value for t in at.title]
    finally:
        engine.dispose()
        resources._sessions.clear()


def test_a_replica_without_its_database_says_so_in_german(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    down = Settings(database_url=f"postgresql+psycopg://mintqo@127.0.0.1:{free_port()}/mintqo")
    caplog.set_level(logging.ERROR, logger="mintqo.ui.resources")
    try:
        at = _run_app(monkeypatch, down, auto_migrate=False)
        assert not at.exception
        assert any("Die Datenbank ist gerade nicht erreichbar" in e.value for e in at.error)
        assert any("database not reachable" in r.getMessage() for r in caplog.records)
        caplog.get_records("call").clear()  # the logged page error was expected here
    finally:
        resources._sessions.clear()


def test_pool_and_timeouts_come_from_the_environment() -> None:
    s = Settings.from_env(
        {
            "MINTQO_DB_POOL_SIZE": "12",
            "MINTQO_DB_MAX_OVERFLOW": "0",
            "MINTQO_DB_POOL_TIMEOUT": "7.5",
            "MINTQO_DB_POOL_RECYCLE": "600",
            "MINTQO_DB_APPLICATION_NAME": "mintqo-app7",
            "MINTQO_DB_STATEMENT_TIMEOUT_MS": "15000",
            "MINTQO_LOG_FORMAT": "JSON",
            "MINTQO_DB_PREPARED_STATEMENTS": "false",
            "MINTQO_ACCEPT_SCHEMA_REVISIONS": "0007, 0008",
        }
    )
    assert (s.db_prepared_statements, s.accept_schema_revisions) == (False, ("0007", "0008"))
    assert (s.db_pool_size, s.db_max_overflow, s.db_pool_timeout, s.db_pool_recycle) == (12, 0, 7.5, 600)
    assert (s.db_application_name, s.db_statement_timeout_ms, s.log_format) == ("mintqo-app7", 15000, "json")
    assert Settings.from_env({}).db_pool_size == 5


@pytest.mark.skipif(POSTGRES_URL is None, reason="needs MINTQO_TEST_POSTGRES_URL")
def test_postgres_connections_carry_the_application_name_and_statement_timeout() -> None:
    assert POSTGRES_URL is not None
    s = Settings(
        database_url=POSTGRES_URL,
        db_pool_size=2,
        db_max_overflow=1,
        db_application_name="mintqo-test-pool",
        db_statement_timeout_ms=1234,
        db_prepared_statements=False,
    )
    engine = make_engine(POSTGRES_URL, s)
    try:
        assert (engine.pool.size(), engine.pool._max_overflow) == (2, 1)  # type: ignore[attr-defined]
        with engine.connect() as conn:
            assert conn.execute(text("SHOW application_name")).scalar_one() == "mintqo-test-pool"
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "1234ms"
            assert conn.connection.dbapi_connection.prepare_threshold is None  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_json_log_lines_carry_ids_and_errors() -> None:
    formatter = JsonFormatter()
    record = logging.LogRecord("mintqo.x", logging.INFO, __file__, 1, "saved %s", ("A1.1",), None)
    record.request_id = "abc123"
    line = json.loads(formatter.format(record))
    assert (line["level"], line["logger"], line["message"], line["request_id"]) == (
        "INFO",
        "mintqo.x",
        "saved A1.1",
        "abc123",
    )
    try:
        raise ValueError("kaputt")
    except ValueError:
        error = logging.LogRecord("mintqo.x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    out = formatter.format(error)
    assert "\n" not in out
    parsed = json.loads(out)
    assert len(parsed["error_id"]) == 12 and "ValueError: kaputt" in parsed["exception"]


@pytest.mark.skipif(not NGINX.exists() or shutil.which("openssl") is None, reason="needs nginx and openssl")
def test_the_deploy_nginx_configuration_with_tls_is_valid(tmp_path: Path) -> None:
    """deploy/nginx as compose mounts it (upstream names swapped for loopback, a self-signed cert)."""
    conf = tmp_path / "etc"
    shutil.copytree(PROJECT_ROOT / "deploy" / "nginx" / "mintqo", conf / "mintqo")
    upstreams = conf / "mintqo" / "upstreams.conf"
    upstreams.write_text(upstreams.read_text().replace("app1:", "127.0.0.1:").replace("app2:", "127.0.0.2:"))
    upstreams.write_text(upstreams.read_text().replace("app3:", "127.0.0.3:"))
    (conf / "tls").mkdir()
    key, cert = conf / "tls" / "privkey.pem", conf / "tls" / "fullchain.pem"
    openssl = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=x"]
    subprocess.run([*openssl, "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    temp = " ".join(
        f"{k}_temp_path {tmp_path / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (conf / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\n"
        f"http {{ {temp}\n include {PROJECT_ROOT / 'deploy' / 'nginx' / 'mintqo.conf'}; }}\n"
    )
    done = subprocess.run(
        [
            str(NGINX),
            "-t",
            "-p",
            str(conf),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(conf / "nginx.conf"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr
