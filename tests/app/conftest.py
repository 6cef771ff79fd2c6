"""AppTest fixtures: app.py against a temp-file database injected through the environment."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

from mintqo.config import Settings
from mintqo.db.engine import session_factory

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(scope="session", autouse=True)
def components_scanned_once() -> Iterator[None]:
    """Every new AppTest's first run looks for installed Streamlit components in the metadata of every
    installed package (0.08 s of CPU, over a hundred times a session). The installed packages do not
    change during a test session, so the first scan's answer serves every AppTest."""
    found = manifest_scanner.scan_component_manifests()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", lambda max_workers=None: list(found))
        yield


@pytest.fixture(autouse=True)
def no_hidden_page_error(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail a test whose page crashed: app.py turns a crash into a German box (not at.exception)
    and logs it as "page failed"; a test expecting that box clears the call's records itself."""
    yield
    records = caplog.get_records("call")
    crashes = [r for r in records if r.name == "mintqo" and "page failed" in r.getMessage()]
    assert not crashes, "a page failed:\n" + "\n".join(caplog.text.splitlines()[-40:])


@pytest.fixture
def settings(tmp_path: Path, migrated_sqlite: Path) -> Settings:
    """Settings on a fresh copy of the session's migrated SQLite file: every AppTest finds the schema
    in place (the app migrating an empty database on its first run is tested end to end, tests/e2e)."""
    path = tmp_path / "mintqo.sqlite3"
    shutil.copyfile(migrated_sqlite, path)
    return Settings(database_url=f"sqlite:///{path}")


@pytest.fixture
def app_env(monkeypatch, settings):
    """Point the app at the test database (settings fixture) via MINTQO_DATABASE_URL."""
    monkeypatch.setenv("MINTQO_DATABASE_URL", settings.database_url)
    return settings


@pytest.fixture
def at(app_env) -> AppTest:
    """A fresh AppTest of app.py (not yet run)."""
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def db(engine: Engine) -> Callable[[], AbstractContextManager[Session]]:
    """Short sessions on the app's test database (the app writes to the same SQLite file)."""

    @contextmanager
    def make() -> Iterator[Session]:
        with session_factory(engine)() as s:
            yield s

    return make
