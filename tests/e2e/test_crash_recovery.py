"""The server is SIGKILLed under an open walkthrough: after the restart the page shows exactly what
the database holds, clicks are stored again, and a missing database gives a German message with a
reference id (no traceback) and recovers by itself."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from mintqo.config import PROJECT_ROOT, Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.db.models import Answer
from mintqo.domain.profile import Profile
from mintqo.questionnaire_files import get_edition
from mintqo.services import analyses, logins
from mintqo.services.answers import record_answer
from tests.support.browser_tab import close_page_not_found
from tests.support.devserver import free_port, healthy

pytestmark = pytest.mark.e2e

APP_TIMEOUT_MS = 30_000
OPTIONS = {"1": "trifft nicht zu", "2": "eher nicht", "3": "eher zu", "4": "trifft voll zu"}
STEP = ("A1.1", "A1.2", "A1.3", "A1.4")
LEAKS = ("Traceback", "sqlalchemy", "sqlite3", 'File "', ".py", "OperationalError", "SELECT")


class Server:
    """`streamlit run app.py` that can be killed and restarted on the same port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.log = workdir / "streamlit.log"
        self.env = {**os.environ, "MINTQO_DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}"}
        self.env["PYTHONUNBUFFERED"] = "1"
        self.env.pop("MINTQO_BASE_URL", None)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port)]
        command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                command, cwd=PROJECT_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while not healthy(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                pytest.fail("server did not start:\n" + self.log.read_text(errors="replace"), pytrace=False)
            time.sleep(0.2)  # polling the health endpoint, not waiting for the page

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)  # also ends a SIGSTOPped process
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path)
    migrate(srv.env["MINTQO_DATABASE_URL"])
    srv.start()
    try:
        yield srv
    finally:
        srv.kill()


def _stored(url: str, analysis_id: int) -> dict[str, str]:
    engine = make_engine(url)
    with session_factory(engine)() as s:
        rows = s.execute(select(Answer.statement_id, Answer.value).where(Answer.analysis_id == analysis_id))
        result = dict(rows.all())
    engine.dispose()
    return result


def _stored_eventually(url: str, analysis_id: int, statement_id: str, value: str) -> dict[str, str]:
    """The database after the click's save ran: the browser shows a click before its rerun, and the
    step's save line may still show the previous save, so poll the database (up to the app timeout)."""
    deadline = time.monotonic() + APP_TIMEOUT_MS / 1000
    while (stored := _stored(url, analysis_id)).get(statement_id) != value and time.monotonic() < deadline:
        time.sleep(0.1)
    return stored


def _radio(page: Page, statement_id: str, value: str):
    group = page.get_by_role("radiogroup", name=re.compile(rf"^\W*{re.escape(statement_id)}\b"))
    return group.get_by_role("radio", name=OPTIONS[value], exact=True)


def _expect_page_shows(page: Page, stored: dict[str, str]) -> None:
    """Every radio of the step is checked exactly when the database holds that answer."""
    for statement_id in STEP:
        for value in OPTIONS:
            radio = _radio(page, statement_id, value)
            if stored.get(statement_id) == value:
                expect(radio).to_be_checked()
            else:
                expect(radio).not_to_be_checked()


def _no_leak(page: Page) -> None:
    text = page.locator("body").inner_text()
    for leak in LEAKS:
        assert leak not in text, f"{leak!r} reached the browser:\n{text}"


def test_kill_restart_shows_the_database_and_a_missing_database_is_explained(
    server: Server,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
    tmp_path: Path,
) -> None:
    url = server.env["MINTQO_DATABASE_URL"]
    settings = Settings.from_env()
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        started = analyses.start_analysis(s, q, Profile("Initiative Crash", "Projekt Neustart", "Nord"))
        info = analyses.analysis_info(s, started.analysis_id)
        token = logins.open_login_session(s, info.analysis_id, hours=2)
    aid = info.analysis_id

    page = new_context().new_page()
    try:
        page.goto(f"{server.url}/durchfuehrung?sitzung={token}&schritt=A1")
        heading = page.get_by_role("heading", name="A1 Bedarf und Ausgangslage")
        wait_for_app(page, heading)
        close_page_not_found(page)
        page.get_by_role("radiogroup", name=re.compile(r"^\W*A1\.1\b")).get_by_text(OPTIONS["4"]).click()
        wait_for_app(page, page.get_by_text(re.compile(r"Alle Antworten gespeichert · \d\d:\d\d")))
        assert _stored(url, aid) == {"A1.1": "4"}

        # --- A hung server gets a click, then SIGKILL; another tab stores an answer meanwhile -----
        assert server.process is not None
        server.process.send_signal(signal.SIGSTOP)
        page.get_by_role("radiogroup", name=re.compile(r"^\W*A1\.2\b")).get_by_text(OPTIONS["3"]).click()
        expect(_radio(page, "A1.2", "3")).to_be_checked()  # the browser shows the click at once
        server.kill()
        # While it is down, Streamlit's connection dialog speaks German and sends nobody to a terminal.
        down_dialog = page.get_by_role("dialog")
        expect(down_dialog).to_contain_text("Keine Verbindung zum Server")
        expect(down_dialog).to_contain_text("verbindet sich die Seite von selbst")
        for english in ("Connection error", "Is Streamlit still running", "streamlit run"):
            expect(down_dialog).not_to_contain_text(english)
        with session_factory(engine)() as s:
            record_answer(s, q, aid, info.rater_id, "A1.3", "2")
        server.start()
        # The page reloads once it is connected again and reads everything from the database.
        expect(_radio(page, "A1.3", "2")).to_be_checked(timeout=APP_TIMEOUT_MS)
        wait_for_app(page, heading, _radio(page, "A1.3", "2"))
        close_page_not_found(page)
        stored = _stored(url, aid)
        assert "A1.3" in stored
        _expect_page_shows(page, stored)  # the lost click is not shown as selected (or it was stored)
        _no_leak(page)

        # --- After the restart a click is stored again (no dead fragment swallows it) -------------
        page.get_by_role("radiogroup", name=re.compile(r"^\W*A1\.4\b")).get_by_text(OPTIONS["1"]).click()
        wait_for_app(page, page.get_by_text(re.compile(r"Alle Antworten gespeichert")))
        expect(_radio(page, "A1.4", "1")).to_be_checked()
        assert _stored_eventually(url, aid, "A1.4", "1").get("A1.4") == "1"
        _expect_page_shows(page, _stored(url, aid))

        # --- The database file is gone when the server comes back: German message, no traceback ---
        server.kill()
        engine.dispose()
        moved = tmp_path / "moved"
        moved.mkdir()
        for f in tmp_path.glob("db.sqlite3*"):
            shutil.move(str(f), moved / f.name)
        (tmp_path / "db.sqlite3").mkdir()  # a directory where the file was: SQLite cannot open it
        server.start()
        down = page.get_by_text("Die Datenbank ist gerade nicht erreichbar", exact=False)
        wait_for_app(page, down)
        close_page_not_found(page)
        _no_leak(page)
        reference = re.search(r"Referenz ([0-9a-f]{6})", page.locator("body").inner_text())
        assert reference, page.locator("body").inner_text()
        log = server.log.read_text(errors="replace")
        assert f"[ref {reference.group(1)}]" in log and "Traceback" in log

        # --- The database is back: the page recovers by itself and shows what is stored ---------
        (tmp_path / "db.sqlite3").rmdir()
        for f in moved.iterdir():
            shutil.move(str(f), tmp_path / f.name)
        expect(down).to_have_count(0, timeout=APP_TIMEOUT_MS)
        wait_for_app(page, heading, _radio(page, "A1.4", "1"))
        _expect_page_shows(page, _stored(url, aid))
    finally:
        engine.dispose()
