"""Integration tests run on a temp-file SQLite database and, when MINTQO_TEST_POSTGRES_URL is set
(scripts/test.sh starts a throw-away PostgreSQL), on PostgreSQL as well – under pytest-xdist on a
database of each worker's own (`<name>_gw0`, ...), so parallel workers never empty each other's tables."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, make_url, text

from mintqo.config import Settings
from mintqo.db.engine import alembic_config, migrate

POSTGRES_URL = os.environ.get("MINTQO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

# The public schema right after migrating an empty PostgreSQL database, or None before the first
# time (or when migrating writes rows, which emptying the tables would lose).
_migrated_schema: tuple[object, ...] | None = None


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _schema(conn: Connection) -> tuple[object, ...]:
    """Revision, columns and indexes of the public schema: what a test could have changed."""
    version = conn.execute(text("SELECT to_regclass('public.alembic_version')")).scalar()
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() if version else None
    columns = conn.execute(
        text(
            "SELECT table_name, column_name, data_type, is_nullable, column_default"
            " FROM information_schema.columns WHERE table_schema = 'public' ORDER BY 1, 2"
        )
    ).all()
    indexes = conn.execute(
        text("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
    ).all()
    return (revision, tuple(columns), tuple(indexes))


def _tables(conn: Connection) -> list[str]:
    rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"))
    return [name for (name,) in rows if name != "alembic_version"]


def _migrated_postgres(url: str) -> None:
    """An empty, migrated PostgreSQL database: emptied with one TRUNCATE when the schema is still the
    freshly migrated one (much faster than dropping it and migrating again), else rebuilt."""
    global _migrated_schema
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if _migrated_schema is not None and _schema(conn) == _migrated_schema:
                tables = ", ".join(f'"{t}"' for t in _tables(conn))
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                return
        _reset_postgres(url)
        migrate(url)
        with engine.connect() as conn:
            rows = sum(conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in _tables(conn))
            head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
            schema = _schema(conn)
            _migrated_schema = schema if rows == 0 and schema[0] == head else None
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The PostgreSQL database this test process may empty at will: the configured one, or under
    pytest-xdist a fresh database per worker beside it (created here, dropped at the end)."""
    assert POSTGRES_URL is not None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        yield POSTGRES_URL
        return
    server = make_url(POSTGRES_URL)
    name = f"{server.database or 'postgres'}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on a database of each configured backend: empty, or when the test uses `engine`
    already migrated (the state `engine` promises; migrating it again changes nothing)."""
    migrated = "engine" in request.fixturenames
    if request.param == "sqlite":
        path = tmp_path / "mintqo.sqlite3"
        if migrated:
            shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        return Settings(database_url=f"sqlite:///{path}")
    url: str = request.getfixturevalue("postgres_url")
    if migrated:
        _migrated_postgres(url)
    else:
        _reset_postgres(url)
    return Settings(database_url=url)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings on a temp-file SQLite database, for SQLite-specific checks."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'mintqo.sqlite3'}")
