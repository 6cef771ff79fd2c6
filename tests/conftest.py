"""Shared fixtures: temp-file SQLite databases (migrated once per session, copied per test), the default
questionnaire, and the hypothesis profiles (random inputs, failures replayed from an example database)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis.database import DirectoryBasedExampleDatabase, MultiplexedDatabase, ReadOnlyDatabase
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.questionnaire_files import get_edition

# The PDF warm-up starts a Chromium in every app process at its first page view: a person's first
# PDF comes quicker, but the suite's many app processes would each pay for one. The tests that are
# about it switch it on (tests/app/test_pdf_warmup.py) or call it (tests/integration/test_report_pdf.py).
os.environ.setdefault("MINTQO_PDF_WARMUP", "false")

# Property tests draw new random inputs on every run. Failing inputs are kept in an example
# database and replayed first: locally in .hypothesis/ (written as hypothesis finds them) and in
# tests/hypothesis-examples/ (committed, read-only here). To add a found failure as a permanent
# regression, run the test once with MINTQO_TEST_HYPOTHESIS_PROFILE=record and commit the files,
# or write it into the test as an `@example(...)`.
HYPOTHESIS_EXAMPLES = Path(__file__).resolve().parent / "hypothesis-examples"
_committed = DirectoryBasedExampleDatabase(HYPOTHESIS_EXAMPLES)
_common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile(
    "dev",
    database=MultiplexedDatabase(
        DirectoryBasedExampleDatabase(Path(".hypothesis") / "examples"), ReadOnlyDatabase(_committed)
    ),
    **_common,
)
# CI (scripts/test.sh): random but repeatable enough – no deadlines on a shared machine, the committed
# failures replayed, and a failure prints the blob to reproduce it with @reproduce_failure.
hypothesis_settings.register_profile("ci", database=ReadOnlyDatabase(_committed), print_blob=True, **_common)
hypothesis_settings.register_profile("record", database=_committed, **_common)
hypothesis_settings.load_profile(os.environ.get("MINTQO_TEST_HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the newest revision once per session; tests get copies of it."""
    path = tmp_path_factory.mktemp("migrated") / "mintqo.sqlite3"
    migrate(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as conn:  # fold the WAL into the file, so one file is all
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings pointing at a fresh SQLite file in the test's temp dir.

    Empty, unless the test uses `engine`: then it is already a copy of the session's migrated
    file, the state `engine` promises (migrating it again changes nothing).
    """
    path = tmp_path / "mintqo.sqlite3"
    if "engine" in request.fixturenames:
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
    return Settings(database_url=f"sqlite:///{path}")


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
