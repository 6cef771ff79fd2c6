"""Migrations on every backend; connection settings on a real SQLite file."""

from __future__ import annotations

import sqlite3

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from mintqo.config import Settings
from mintqo.db.engine import alembic_config, make_engine, migrate
from mintqo.db.models import Base


def test_migration_from_empty_creates_every_model_table(settings):
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    with engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    head = ScriptDirectory.from_config(alembic_config(settings.database_url)).get_current_head()
    assert version == head
    engine.dispose()


def test_migration_matches_models_exactly(settings):
    """The migration and the models describe the same columns (no forgotten Alembic revision)."""
    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    inspector = inspect(engine)
    for name, table in Base.metadata.tables.items():
        migrated = {c["name"] for c in inspector.get_columns(name)}
        assert migrated == {c.name for c in table.columns}, name
    engine.dispose()


def test_migrate_twice_is_harmless(settings, engine, session, questionnaire):
    from mintqo.domain.profile import Profile
    from mintqo.services import analyses

    analyses.start_analysis(session, questionnaire, Profile("Ini", "Proj"))
    migrate(settings.database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM analysis")).scalar_one() == 1


def test_sqlite_connections_use_wal_and_foreign_keys(sqlite_settings):
    migrate(sqlite_settings.database_url)
    engine = make_engine(sqlite_settings.database_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 10_000  # the default
        assert conn.execute(text("PRAGMA synchronous")).scalar_one() == 2  # FULL
    engine.dispose()


def test_the_sqlite_busy_timeout_comes_from_the_environment(sqlite_settings):
    settings = Settings.from_env({"MINTQO_SQLITE_BUSY_TIMEOUT_MS": "2500"})
    engine = make_engine(sqlite_settings.database_url, settings)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() == 2500
    engine.dispose()


def test_foreign_keys_are_enforced(engine):
    import pytest
    from sqlalchemy.exc import IntegrityError

    with engine.begin() as conn, pytest.raises(IntegrityError):
        conn.execute(
            text("INSERT INTO project (initiative_id, name, created_at) VALUES (999, 'x', '2026-01-01')")
        )


def test_database_file_is_a_real_sqlite_file(sqlite_settings):
    migrate(sqlite_settings.database_url)
    path = sqlite_settings.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
