"""Fixtures for the end-to-end tests: a real `streamlit run app.py` and Debian's Chromium.

Modelled on Streamlit's own e2e_playwright/conftest.py: the app runs as a subprocess on a free
port against a throw-away SQLite database, every test gets a fresh browser context, and the
page is synchronised on the app's script state (`data-test-script-state`) plus content that
only the expected state shows – never on fixed sleeps.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright
from sqlalchemy import Engine

from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.questionnaire_files import get_edition
from mintqo.services.demo import create_demo, create_demo_group
from tests.support.browser_tab import ARTIFACTS, START_HEADING, screenshot_pages
from tests.support.devserver import CHROMIUM_ARGS, E2E_BROWSER, start_streamlit, stop
from tests.support.socket_log import SocketLog

VIEWPORT = {"width": 1280, "height": 900}
SERVER_START_TIMEOUT = 60.0
APP_TIMEOUT_MS = 30_000
# expect() waits for content, never a fixed time; on a busy 2-core CI machine a Streamlit rerun with
# charts can take longer than Playwright's 5 s default, so assertions get the app's timeout too.
expect.set_options(timeout=APP_TIMEOUT_MS)


@pytest.fixture(scope="session")
def app_workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the e2e server keeps its database and log."""
    return tmp_path_factory.mktemp("mintqo-e2e")


@pytest.fixture(scope="session")
def app_server(app_workdir: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free port with its own database; yields the base URL."""
    workdir = app_workdir
    env = {
        **os.environ,
        "MINTQO_DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("MINTQO_BASE_URL", None)  # resume links must point at this server
    try:
        process, url = start_streamlit("app.py", env, workdir / "streamlit.log", SERVER_START_TIMEOUT)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield url
    finally:
        stop(process)


@pytest.fixture
def app_db(app_server: str, app_workdir: Path) -> Iterator[Engine]:
    """An engine on the e2e server's database, to set up answers without clicking 60 radios."""
    engine = make_engine(f"sqlite:///{app_workdir / 'db.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium (Playwright's own browser download is not available here)."""
    if not E2E_BROWSER.exists():
        pytest.fail(
            f"Chromium not found at {E2E_BROWSER}. The e2e tests need it: "
            "apt-get install chromium chromium-headless-shell.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(E2E_BROWSER), args=list(CHROMIUM_ARGS))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Callable[[], BrowserContext]]:
    """Factory for fresh browser contexts (no cookies, no storage) – one per simulated device.

    When the test failed, every open page of every context it created is saved as a
    screenshot in test-artifacts/ before the contexts are closed, with what the tabs sent to the
    server (tests/support/socket_log.py).
    """
    contexts: list[BrowserContext] = []
    sent = SocketLog()

    def make() -> BrowserContext:
        ctx = browser.new_context(viewport=VIEWPORT, locale="de-DE")
        ctx.set_default_timeout(APP_TIMEOUT_MS)
        sent.attach(ctx)
        contexts.append(ctx)
        return ctx

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot_pages(contexts, request.node.name)
        sent.write(ARTIFACTS / f"failure-{request.node.name}-sent.txt")
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def open_start(
    app_server: str, new_context: Callable[[], BrowserContext], wait_for_app: Callable[..., None]
) -> Callable[[], Page]:
    """Factory: a new device's tab (a fresh context) on the app's start page, once that is shown."""

    def start() -> Page:
        page = new_context().new_page()
        page.goto(app_server)
        wait_for_app(page, page.get_by_role("heading", name=START_HEADING, exact=True))
        return page

    return start


@pytest.fixture
def demo_codes(app_db: Engine) -> dict[str, str]:
    """The demo project (submitted, round 2, with team and measures) and the demo workshop group."""
    settings = Settings.from_env()
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    migrate(app_db.url.render_as_string(hide_password=False))  # the app may not have run yet
    with session_factory(app_db)() as session:
        started = create_demo(session, q)
        group = create_demo_group(session, q, started)
    return {"analysis": started.code, "facilitator": group.facilitator_code}


@pytest.fixture
def context(new_context: Callable[[], BrowserContext]) -> BrowserContext:
    """The test's first browser context (closed, after a failure screenshot, by new_context)."""
    return new_context()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in the test's context."""
    return context.new_page()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Expose each phase's report on the item (item.rep_setup / rep_call / rep_teardown)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def wait_for_app_run(page: Page, *expected: Locator, timeout: float = APP_TIMEOUT_MS) -> None:
    """Wait until the script run is over and the expected content is on screen.

    The script state alone is not enough: a click's rerun may start a moment later, so the
    page may still be "notRunning" from the previous run. Pass locators for content that
    only the new state shows.
    """
    expect(page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']")).to_be_attached(
        timeout=timeout
    )
    for locator in expected:
        expect(locator).to_be_visible(timeout=timeout)
    expect(page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")).to_be_attached(
        timeout=timeout
    )
    for locator in expected:
        expect(locator).to_be_visible(timeout=timeout)


@pytest.fixture(name="wait_for_app")
def wait_for_app_fixture() -> Callable[..., None]:
    """`wait_for_app(page, *expected_locators)` for the tests (see wait_for_app_run)."""
    return wait_for_app_run
