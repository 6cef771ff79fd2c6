"""One user's browser tab in the end-to-end tests: its page, the wait for the app, shared steps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page, expect

from mintqo.ui.first_screen import CHART_CODE_KEY, css_class

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
START_HEADING = "Selbstanalyse für MINT-Initiativen"
SUBMITTED = re.compile(r"^Abgeschlossen am \d{2}\.\d{2}\.\d{4}\.$")
# A page's charts: not the hidden, empty one that makes the browser load the chart code early
# (first_screen.load_chart_code).
CHART = f".js-plotly-plot:not(.{css_class(CHART_CODE_KEY)} *)"


def close_page_not_found(page: Page) -> None:
    """Close Streamlit's "Page not found" notice a deep link may get on a fresh server process.

    Known Streamlit 1.67 behaviour (streamlit/streamlit#9992): the first deep link to a non-default
    page on a fresh process runs in the legacy pages/ mode and announces "Page not found" before
    app.py's navigation serves the right page. The content underneath is right.
    """
    # German once mintqo's translation ran (mintqo/ui/streamlit_german.py), English before that.
    dialog = page.get_by_role("dialog").filter(has_text=re.compile("Seite nicht gefunden|Page not found"))
    if dialog.count():
        dialog.get_by_role("button").first.click()
        expect(dialog).to_have_count(0)


class Tab:
    """A browser tab and `wait(page, *locators)`, the wait for the app's run to show content."""

    def __init__(self, page: Page, wait: Callable[..., None]) -> None:
        self.page = page
        self.wait = wait

    def heading(self, name: str) -> Locator:
        return self.page.get_by_role("heading", name=name, exact=True)

    def submit(self) -> None:
        """Submit the open analysis and wait until the page says when it was submitted."""
        self.page.get_by_role("button", name="Selbstanalyse abschließen").first.click()  # atop or at the end
        self.wait(self.page, self.page.get_by_text(SUBMITTED))


def start_walkthrough(page: Page, wait: Callable[..., None], initiative: str, project: str) -> None:
    """On the start page: start a new analysis, note its code, go through preparation to step A1."""
    page.get_by_role("textbox", name="Name der Initiative *").fill(initiative)
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill(project)
    page.get_by_role("button", name="Selbstanalyse starten").click()
    wait(page, page.get_by_role("heading", name="Ihr Zugangscode"))
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()
    wait(page, page.get_by_role("heading", name="Vorbereitung"))
    page.get_by_role("button", name="Los geht’s: zur Durchführung").click()
    wait(page, page.get_by_role("heading", name="A1 Bedarf und Ausgangslage"))


def screenshot_pages(contexts: Iterable[BrowserContext], name: str) -> None:
    """Save every open page of these contexts as test-artifacts/failure-{name}-N.png (after a failure)."""
    ARTIFACTS.mkdir(exist_ok=True)
    pages = [p for context in contexts for p in context.pages if not p.is_closed()]
    for number, open_page in enumerate(pages, start=1):
        path = ARTIFACTS / f"failure-{name}-{number}.png"
        try:
            open_page.screenshot(path=str(path))
        except Exception as exc:  # a broken page must not hide the real failure
            print(f"could not save screenshot {path}: {exc}")


# Resolves once the element has kept its place and size for `frames` painted frames in a row.
_STILL_JS = """(el, frames) => new Promise(resolve => {
  let last = '', same = 0;
  const look = () => {
    const r = el.getBoundingClientRect();
    const now = [r.x, r.y, r.width, r.height].join();
    same = now === last ? same + 1 : 0;
    last = now;
    if (same >= frames) resolve(true); else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
})"""


def wait_still(locator: Locator, frames: int = 10) -> None:
    """Wait until LOCATOR's element stays put for FRAMES frames (about 170 ms at 60 Hz), so that a
    click's press and release both land on it. Playwright checks two frames only; a box above that
    is still growing (an expander opening, the "Sie sind hier" box drawing a new slide's charts) can
    move it between press and release, and the click then lands on what moved under the pointer."""
    locator.evaluate(_STILL_JS, frames)
