"""The whole self-analysis in a real browser: start, note the code, answer, reload, resume
on another device with the resume link, finish and see the results."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.support.browser_tab import CHART

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TALL_VIEWPORT = {"width": 1280, "height": 2400}
TOTAL = 60
CODE_PATTERN = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$")
STEP_HEADING = re.compile(r"^[A-Z]\d+ ")

# A steps become strengths (4,0), B steps strengths at the threshold (3,0), C steps
# "ausbaufähig" development areas (2,0).
OPTION_FOR_CRITERION = {"A": "trifft voll zu", "B": "eher zu", "C": "eher nicht"}


@dataclass
class Device:
    """One browser tab on one "device", with the helpers the walkthrough needs."""

    page: Page
    wait: Callable[..., None]

    def shot(self, name: str, *, tall: bool = False) -> None:
        """Screenshot for humans: test-artifacts/e2e-<name>.png, 1280 wide."""
        ARTIFACTS.mkdir(exist_ok=True)
        original = self.page.viewport_size
        if tall:
            self.page.set_viewport_size(TALL_VIEWPORT)
        self.page.screenshot(path=str(ARTIFACTS / f"e2e-{name}.png"))
        if tall and original:
            self.page.set_viewport_size(original)

    def heading(self, name: str) -> Locator:
        return self.page.get_by_role("heading", name=name, exact=True)

    def step_heading(self) -> Locator:
        """The h2 of the current walkthrough step, e.g. "A2 Zielgruppen"."""
        return self.page.get_by_role("heading", level=2).filter(has_text=STEP_HEADING)

    def progress(self, answered: int) -> Locator:
        return self.page.get_by_text(f"{answered} von {TOTAL} Aussagen beantwortet", exact=True)

    def statement(self, statement_id: str) -> Locator:
        """Radiogroup of a statement; its label starts with the id (maybe still in markdown **)."""
        return self.page.get_by_role("radiogroup", name=re.compile(rf"^\W*{re.escape(statement_id)}\b"))

    def option(self, statement_id: str, text: str) -> Locator:
        return self.statement(statement_id).get_by_role("radio", name=text, exact=True)

    def answer(self, statement_id: str, text: str, *, answered_after: int) -> None:
        """Click an option's label, then wait until the rerun has saved and counted it."""
        self.statement(statement_id).get_by_text(text, exact=True).click()
        expect(self.option(statement_id, text)).to_be_checked()
        self.wait(self.page, self.progress(answered_after))

    def open_statements(self) -> list[str]:
        """Ids of the statements on the current step that have no answer yet."""
        ids = []
        for group in self.page.get_by_role("radiogroup").all():
            if group.get_by_role("radio", checked=True).count():
                continue
            label = group.get_attribute("aria-label") or ""
            match = re.match(r"^\W*([A-Z]\d+\.\d+)\b", label)
            assert match, f"no statement id in radiogroup label {label!r}"
            ids.append(match.group(1))
        return ids


def test_walkthrough_start_reload_resume_and_finish(
    app_server: str,
    page: Page,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    first = Device(page, wait_for_app)

    # --- Start a new analysis ---------------------------------------------------------------
    page.goto(app_server)
    wait_for_app(page, first.heading("Selbstanalyse für MINT-Initiativen"))
    page.get_by_role("textbox", name="Name der Initiative *").fill("Forscherwerkstatt Nordstadt")
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Robotik-AG Klasse 5–7")
    first.shot("01-start")
    page.get_by_role("button", name="Selbstanalyse starten").click()

    # --- The access code and the resume link, shown once ------------------------------------
    wait_for_app(page, first.heading("Ihr Zugangscode"))
    blocks = page.get_by_test_id("stCode")
    expect(blocks).to_have_count(2)
    texts = [block.inner_text().strip() for block in blocks.all()]
    codes = [text for text in texts if CODE_PATTERN.match(text)]
    assert len(codes) == 1, f"expected exactly one access code among {texts}"
    code = codes[0]
    links = [text for text in texts if "?code=" in text]
    assert links == [f"{app_server}/?code={code}"], texts
    resume_link = links[0]
    expect(page).to_have_url(re.compile(r"[?&]sitzung="))
    first.shot("02-code")
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()

    # --- Vorbereitung -----------------------------------------------------------------------
    wait_for_app(page, first.heading("Vorbereitung"), page.get_by_text("Robotik-AG Klasse 5–7 ·"))
    first.shot("03-vorbereitung", tall=True)
    page.get_by_role("button", name="Los geht’s: zur Durchführung").click()

    # --- Durchführung, step A1: all four statements -----------------------------------------
    wait_for_app(page, first.heading("A1 Bedarf und Ausgangslage"), first.progress(0))
    a1 = ["A1.1", "A1.2", "A1.3", "A1.4"]
    for answered, statement_id in enumerate(a1, start=1):
        first.answer(statement_id, "trifft voll zu", answered_after=answered)
    first.shot("04-a1-answered", tall=True)
    page.get_by_role("button", name="Weiter →").click()

    # --- Step A2: two of five ---------------------------------------------------------------
    wait_for_app(page, first.heading("A2 Zielgruppen"))
    first.answer("A2.1", "trifft voll zu", answered_after=5)
    first.answer("A2.2", "eher zu", answered_after=6)
    first.shot("05-a2-partial")

    # --- Reload: same analysis, same step, answers still there ------------------------------
    token = re.search(r"[?&]sitzung=([^&]+)", page.url)
    assert token, f"no ?sitzung= token in {page.url}"
    page.reload()
    wait_for_app(page, first.heading("A2 Zielgruppen"), first.progress(6))
    # The token read from the URL was exchanged for a new one (a copied address soon stops working).
    expect(page).to_have_url(re.compile(r"[?&]sitzung=[^&]+"))
    assert token.group(1) not in page.url
    expect(first.option("A2.1", "trifft voll zu")).to_be_checked()
    expect(first.option("A2.2", "eher zu")).to_be_checked()
    for statement_id in ("A2.3", "A2.4", "A2.5"):
        expect(first.statement(statement_id).get_by_role("radio", checked=True)).to_have_count(0)
    first.shot("06-a2-after-reload")

    sidebar = page.get_by_test_id("stSidebar")
    steps = sidebar.locator(".st-key-assess-steps")
    # The navigator marks A1 complete (✓) and A2 begun (◐, the current step: text, not a button).
    expect(steps.get_by_role("button", name="✓ A1 Bedarf und Ausgangslage")).to_have_count(1)
    expect(steps.get_by_text("◐ A2 Zielgruppen (aktueller Schritt)")).to_have_count(1)
    steps.get_by_role("button", name="✓ A1 Bedarf und Ausgangslage").click()
    wait_for_app(page, first.heading("A1 Bedarf und Ausgangslage"))
    for statement_id in a1:
        expect(first.option(statement_id, "trifft voll zu")).to_be_checked()
    first.shot("07-a1-after-reload")

    # --- Another device (fresh context, no cookies): the resume link ------------------------
    device = Device(new_context().new_page(), wait_for_app)
    other = device.page
    other.goto(resume_link)
    # Like resuming with the code form, the link opens the first step with an open statement.
    expect(
        device.heading("A2 Zielgruppen"),
        f"the resume link {resume_link} should open the walkthrough at A2, the first step with "
        "an unanswered statement",
    ).to_be_visible(timeout=30_000)
    wait_for_app(other, device.heading("A2 Zielgruppen"), device.progress(6))
    expect(other).to_have_url(re.compile(r"[?&]sitzung="))
    expect(other).not_to_have_url(re.compile(r"[?&]code="))
    expect(device.option("A2.1", "trifft voll zu")).to_be_checked()
    expect(device.option("A2.2", "eher zu")).to_be_checked()
    device.shot("08-resumed-on-other-device")

    # --- Answer everything still open, step by step -----------------------------------------
    answered = 6
    steps_seen = []
    while True:
        current = device.step_heading().inner_text()
        steps_seen.append(current.split()[0])
        for statement_id in device.open_statements():
            answered += 1
            device.answer(statement_id, OPTION_FOR_CRITERION[statement_id[0]], answered_after=answered)
        finish = other.get_by_role("button", name="Zur Auswertung →")
        if finish.count():
            break
        other.get_by_role("button", name="Weiter →").click()
        wait_for_app(other, device.step_heading().filter(has_not_text=current))
    assert steps_seen[0] == "A2" and steps_seen[-1] == "C5", steps_seen
    assert answered == TOTAL
    expect(device.progress(TOTAL)).to_be_visible()
    device.shot("09-last-step", tall=True)
    finish.click()

    # --- Results ----------------------------------------------------------------------------
    # Everything is answered: the button sits atop the results (and again at the end).
    submit = other.get_by_role("button", name="Selbstanalyse abschließen").first
    wait_for_app(other, device.heading("Ihre Ergebnisse"), submit)
    expect(other.locator(CHART).first).to_be_visible(timeout=30_000)  # plotly draws after the run
    device.shot("10-results", tall=True)
    submit.click()
    wait_for_app(other, other.get_by_text(re.compile(r"^Abgeschlossen am \d{2}\.\d{2}\.\d{4}\.$")))
    expect(submit).to_have_count(0)
    expect(other.locator(f".st-key-results-radar {CHART}")).to_be_visible()

    strengths = other.locator(".st-key-results-strengths")
    development = other.locator(".st-key-results-development")
    expect(strengths.get_by_text("A1 Bedarf und Ausgangslage", exact=True)).to_be_visible()
    expect(strengths.get_by_text("4,0 · Stärke").first).to_be_visible()
    expect(strengths.get_by_text("B3 Räume, Ausstattung und Material", exact=True)).to_be_visible()
    expect(development.get_by_text("C1 Leistungen und Reichweite", exact=True)).to_be_visible()
    expect(development.get_by_text("2,0 · ausbaufähig").first).to_be_visible()
    expect(strengths.get_by_text("C1 Leistungen und Reichweite", exact=True)).to_have_count(0)
    device.shot("11-submitted", tall=True)
