"""Integration tests run on a temp-file SQLite database and, when MINTQO_TEST_POSTGRES_URL is set
(scripts/test.sh starts a throw-away PostgreSQL), on PostgreSQL as well."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mintqo.config import Settings

POSTGRES_URL = os.environ.get("MINTQO_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings on an empty database of each configured backend."""
    if request.param == "sqlite":
        return Settings(database_url=f"sqlite:///{tmp_path / 'mintqo.sqlite3'}")
    assert POSTGRES_URL is not None
    _reset_postgres(POSTGRES_URL)
    return Settings(database_url=POSTGRES_URL)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings on a temp-file SQLite database, for SQLite-specific checks."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'mintqo.sqlite3'}")
