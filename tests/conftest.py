"""Shared fixtures: a migrated temp-file SQLite database and the default questionnaire."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.questionnaires import get_edition


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings pointing at a fresh SQLite file in the test's temp dir."""
    return Settings(database_url=f"sqlite:///{tmp_path / 'mintqo.sqlite3'}")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    """An engine on a migrated temp-file database."""
    migrate(settings.database_url)
    eng = make_engine(settings.database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the temp database."""
    with session_factory(engine)() as s:
        yield s


@pytest.fixture(scope="session")
def questionnaire() -> Questionnaire:
    """The default questionnaire edition shipped in data/."""
    s = Settings()
    return get_edition(s.questionnaire_dir, s.default_edition)
