"""A workshop group in real browsers: a facilitator creates it, five projects join and submit (two in
their browsers, three through the services), the group picture is released only at 2k − 1 = 5 (k = 3)
and only once, after confirming, and participants see the release log and follow the presentation."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import Engine

from mintqo.db.engine import session_factory
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import analyses, groups, logins
from mintqo.services.answers import record_answer
from tests.support.browser_tab import CHART, Tab, wait_still

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CODE_PATTERN = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$")
GROUP = "Workshop Hafenregion Frühjahr"
REGION = "Hafenregion"
BAND_JS = """() => {
  const plot = document.querySelector('.st-key-results-radar .js-plotly-plot');
  return plot && plot.data ? plot.data.map(trace => trace.name || '') : null;
}"""
BAND_DRAWN_JS = f"() => ({BAND_JS})()?.some(name => name.endsWith(': mittlere 50 %')) ?? false"
FOLLOW_TIMEOUT_MS = 15_000  # the participant's "Sie sind hier" fragment polls every 4 s
OTHERS = (("Roboter-Werkstatt", "2"), ("Mathe-Zirkel", "3"), ("Chemie-AG", "3"), ("Coding-Club", "2"))
RELEASE = re.compile(r"^Gruppenbild mit \d+ Analysen freigeben$")
PRIVACY_TITLE = "Wie mintqo die Gruppenzahlen schützt"


def _answer_all(engine: Engine, q: Questionnaire, analysis_id: int, value: str) -> None:
    with session_factory(engine)() as s:
        rater_id = analyses.analysis_info(s, analysis_id).rater_id
        for sub in q.subcriteria:
            for statement in sub.statements:
                record_answer(s, q, analysis_id, rater_id, statement.id, value)


def _band_names(page: Page) -> list[str]:
    names = page.evaluate(BAND_JS)
    assert names is not None, "no plotly radar in .st-key-results-radar"
    return [n for n in names if n.endswith(": mittlere 50 %")]


class Participant(Tab):
    """One project's browser tab."""

    def open_results(self) -> None:
        self.page.get_by_role("link", name="Ergebnisse").click()
        self.wait(self.page, self.heading("Ihre Ergebnisse"), self.page.locator(".st-key-results-radar"))

    def join(self, join_code: str) -> None:
        page = self.page
        page.get_by_text("Gehören Sie zu einer Workshopgruppe? Hier beitreten").click()
        page.get_by_role("textbox", name="Gruppen-Code von Ihrer Moderation").fill(join_code)
        page.get_by_role("button", name="Der Gruppe beitreten").click()
        self.wait(page, page.get_by_text(f"Sie sind der Workshopgruppe „{GROUP}“ beigetreten."))

    def submit(self) -> None:
        super().submit()
        expect(self.page.get_by_text("Gehören Sie zu einer Workshopgruppe?")).to_have_count(0)

    def you_are_here(self) -> Locator:
        return self.page.locator(".st-key-results-you-are-here")


def test_group_created_joined_released_and_presented(
    app_server: str,
    app_db: Engine,
    questionnaire: Questionnaire,
    new_context: Callable[[], BrowserContext],
    open_start: Callable[[], Page],
    wait_for_app: Callable[..., None],
) -> None:
    # --- The facilitator creates the group --------------------------------------------------
    mod = open_start()
    mod.get_by_role("link", name="Moderation").click()
    wait_for_app(mod, mod.get_by_role("heading", name="Moderation von Workshopgruppen"))
    expect(mod).to_have_url(re.compile(r"/moderation"))
    mod.get_by_role("tab", name="Neue Workshopgruppe anlegen").click()
    mod.get_by_role("textbox", name="Name der Workshopgruppe *").fill(GROUP)
    mod.get_by_role("textbox", name="Region *").fill(REGION)
    mod.get_by_role("button", name="Workshopgruppe anlegen").click()
    wait_for_app(mod, mod.get_by_role("heading", name="Ihre beiden Codes"))
    columns = mod.get_by_test_id("stColumn")
    codes = {}
    for label in ("Moderationscode", "Gruppen-Code"):
        block = columns.filter(has_text=label).get_by_test_id("stCode")
        expect(block).to_have_text(CODE_PATTERN)
        codes[label] = block.inner_text().strip()
    facilitator_code, join_code = codes["Moderationscode"], codes["Gruppen-Code"]
    assert CODE_PATTERN.match(facilitator_code) and CODE_PATTERN.match(join_code)
    assert facilitator_code != join_code
    mod.get_by_role("button", name="Codes notiert – zum Dashboard").click()
    wait_for_app(mod, mod.get_by_role("heading", name=GROUP))
    expect(mod).to_have_url(re.compile(r"/gruppe"))

    # --- Project 1 starts in the browser, answers (set up directly), joins and submits -------
    one = Participant(open_start(), wait_for_app)
    one.page.get_by_role("textbox", name="Name der Initiative *").fill("Schülerlabor Kaiserkai")
    one.page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Forschen im Watt")
    one.page.get_by_role("button", name="Selbstanalyse starten").click()
    wait_for_app(one.page, one.heading("Ihr Zugangscode"))
    code_block = one.page.get_by_test_id("stCode").first
    expect(code_block).to_have_text(CODE_PATTERN)
    code_one = code_block.inner_text().strip()
    one.page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()
    wait_for_app(one.page, one.heading("Vorbereitung"))
    with session_factory(app_db)() as s:
        analysis_one = logins.resume_with_code(s, code_one)
    assert analysis_one is not None
    _answer_all(app_db, questionnaire, analysis_one, "4")
    one.open_results()
    one.join(join_code)
    one.submit()

    # --- Projects 2 to 4 join and submit through the services (the browser steps are project 1's);
    # project 5 opens its code in its own browser, joins there and submits later ---------------
    last = None
    for number, (project, value) in enumerate(OTHERS, start=2):
        with session_factory(app_db)() as s:
            started = analyses.start_analysis(
                s, questionnaire, Profile(initiative=f"Initiative {project}", project=project)
            )
        _answer_all(app_db, questionnaire, started.analysis_id, value)
        if number < 5:
            with session_factory(app_db)() as s:
                groups.join_group(s, started.analysis_id, join_code)
                analyses.submit(s, started.analysis_id)
            continue
        last = Participant(new_context().new_page(), wait_for_app)
        last.page.goto(f"{app_server}/?code={started.code}")
        wait_for_app(last.page, last.page.get_by_role("link", name="Ergebnisse"))
        last.open_results()
        last.join(join_code)
    assert last is not None

    # --- Four of five submitted: no release, no band, no progress numbers -------------------
    mod.reload()
    wait_for_app(
        mod,
        mod.get_by_role("heading", name=GROUP),
        mod.get_by_text(re.compile(r"^Es sind erst 4 von mindestens 5 Selbstanalysen\b.* abgeschlossen")),
    )
    expect(mod.get_by_role("button", name=RELEASE)).to_have_count(0)
    expect(mod.get_by_role("button", name="Präsentation starten")).to_have_count(0)
    table = mod.get_by_test_id("stDataFrame")
    expect(table).to_be_visible()
    expect(table.get_by_text("Fortschritt")).to_have_count(0)
    one.page.reload()
    wait_for_app(
        one.page,
        one.heading("Ihre Ergebnisse"),
        one.page.get_by_text("noch zu wenige Analysen für einen anonymen Vergleich (4 von mindestens 5)"),
    )
    expect(one.page.locator(".st-key-results-radar .js-plotly-plot")).to_be_visible()
    assert _band_names(one.page) == []
    expect(one.page.get_by_text("Freigabeprotokoll der Gruppe")).to_have_count(0)

    # --- The fifth submits; the facilitator confirms, releases once and presents ------------
    last.submit()
    mod.reload()
    release = mod.get_by_role("button", name="Gruppenbild mit 5 Analysen freigeben")
    wait_for_app(mod, mod.get_by_role("heading", name=GROUP), release)
    expect(release).to_be_disabled()  # not without the confirmation
    mod.get_by_test_id("stCheckbox").filter(has_text="Diese Freigabe ist endgültig").click()
    expect(release).to_be_enabled()
    release.click()
    wait_for_app(
        mod,
        mod.get_by_role("heading", name="Diskussionsagenda"),
        mod.get_by_text(re.compile(r"^Das Gruppenbild dieser Runde ist bereits freigegeben\.")),
    )
    expect(mod.locator(CHART).first).to_be_visible()
    expect(mod.get_by_role("button", name=RELEASE)).to_have_count(0)  # a round is released once
    expect(mod.get_by_text("Freigabeprotokoll der Gruppe")).to_be_visible()
    mod.get_by_role("button", name="Präsentation starten").click()
    title, counter = mod.locator(".slide-title"), mod.locator(".slide-counter")
    wait_for_app(mod, title.filter(has_text="Überblick: das Gruppenbild"))
    expect(mod).to_have_url(re.compile(r"/praesentation"))
    expect(counter).to_have_text("Folie 1 / 20")
    expect(mod.locator(".slide-footer")).to_contain_text("n = 5 abgeschlossene Analysen")
    expect(mod.locator(".slide-footer")).to_contain_text("k = 3")

    # --- The participant sees the band and follows the slides -------------------------------
    one.page.reload()
    wait_for_app(one.page, one.heading("Ihre Ergebnisse"), one.you_are_here())
    # The radar shows the own profile and the group median; the middle 50 % is a layer to switch on.
    one.page.get_by_test_id("stButtonGroup").get_by_role(
        "button", name="Workshopgruppe: mittlere 50 %"
    ).click()
    one.page.wait_for_function(BAND_DRAWN_JS)
    assert _band_names(one.page), "the released group picture should be drawn as a band"
    expect(one.page.get_by_text(re.compile(r"noch zu wenige Analysen"))).to_have_count(0)
    expect(one.you_are_here()).to_contain_text("Sie sind hier · Überblick: das Gruppenbild")

    for number, slide in ((2, "A Angebotsqualität"), (3, "A1 Bedarf und Ausgangslage")):
        mod.get_by_role("button", name="Weiter →").click()
        wait_for_app(mod, title.filter(has_text=slide), counter.filter(has_text=f"Folie {number} / 20"))
        expect(one.you_are_here()).to_contain_text(f"Sie sind hier · {slide}", timeout=FOLLOW_TIMEOUT_MS)
    ARTIFACTS.mkdir(exist_ok=True)
    one.page.screenshot(path=str(ARTIFACTS / "e2e-group-you-are-here.png"))
    mod.screenshot(path=str(ARTIFACTS / "e2e-group-slide03.png"))

    # --- The participant opens the release log and, from there, the anonymity page ----------
    log = one.page.get_by_test_id("stExpander").filter(has_text="Freigabeprotokoll der Gruppe")
    log.get_by_text("Freigabeprotokoll der Gruppe").click()
    expect(log.get_by_test_id("stTable")).to_contain_text("gültig")
    link = log.get_by_role("link", name=PRIVACY_TITLE)
    wait_still(link)  # the log still opening, or the box above drawing slide 3's charts, moves it
    link.click()
    wait_for_app(one.page, one.heading(PRIVACY_TITLE))
    expect(one.page).to_have_url(re.compile(r"/anonymitaet"))
    expect(one.page.get_by_text(re.compile(r"Jeder Wert ruht auf mindestens 5 Bewertungen"))).to_be_visible()
