"""Team rating, measures and a second round in real browsers: two team members rate differently →
the team view shows the divergence → an agreed value changes the radar → a measure is recorded →
round 2 shows the before/after overlay and the change table."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import Engine

from mintqo.db.engine import session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import analyses, logins, team
from mintqo.services.answers import answers_of, record_answer
from tests.support.browser_tab import Tab

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CODE_PATTERN = re.compile(r"^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$")
PROJECT = "Forscherclub Mikroskopie"
MEASURE = "Vorher-Nachher-Fragebogen einführen"
TOTAL = 60
# Per trace of the results radar: name → {sub-criterion id: r}, read from plotly's own data.
RADAR_JS = """() => {
  const plot = document.querySelector('.st-key-results-radar .js-plotly-plot');
  if (!plot || !plot.data) return null;
  const out = {};
  for (const trace of plot.data) {
    if (trace.type !== 'scatterpolar' || !trace.theta) continue;
    const values = {};
    Array.from(trace.theta).forEach((theta, i) => {
      const id = (String(theta).match(/<b>([A-Z]\\d+)<\\/b>/) || [])[1];
      if (id) values[id] = trace.r[i];
    });
    out[trace.name || ''] = values;
  }
  return out;
}"""
RADAR_VALUE_JS = f"""([name, sub, expected]) => {{
  const radar = ({RADAR_JS})();
  return !!radar && !!radar[name] && radar[name][sub] === expected;
}}"""


def _fill_open(engine: Engine, q: Questionnaire, analysis_id: int, name: str, value: str) -> None:
    """Answer every statement the member has not answered yet with `value`."""
    with session_factory(engine)() as s:
        rater_id = team.member(s, analysis_id, name)
        done = answers_of(s, analysis_id, rater_id)
        for statement in q.statements():
            if statement.id not in done:
                record_answer(s, q, analysis_id, rater_id, statement.id, value)


def _set(engine: Engine, q: Questionnaire, analysis_id: int, name: str, sub_id: str, value: str) -> None:
    with session_factory(engine)() as s:
        rater_id = team.member(s, analysis_id, name)
        for statement in q.subcriterion(sub_id).statements:
            record_answer(s, q, analysis_id, rater_id, statement.id, value)


def _eventually(check: Callable[[], bool], message: str, timeout: float = 10.0) -> None:
    """Poll the database until `check` holds (an autosave lands right after the click's rerun)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.1)


class Member(Tab):
    """One team member's browser tab."""

    def progress(self, answered: int) -> Locator:
        return self.page.get_by_text(f"{answered} von {TOTAL} Aussagen beantwortet", exact=True)

    def statement(self, statement_id: str) -> Locator:
        return self.page.get_by_role("radiogroup", name=re.compile(rf"^\W*{re.escape(statement_id)}\b"))

    def answer(self, statement_id: str, text: str, *, answered_after: int) -> None:
        """Click an option's label, then wait until the rerun has saved and counted it."""
        self.statement(statement_id).get_by_text(text, exact=True).click()
        expect(self.statement(statement_id).get_by_role("radio", name=text, exact=True)).to_be_checked()
        self.wait(self.page, self.progress(answered_after))

    def resume(self, base: str, code: str, name: str) -> None:
        """Open the project with its access code as a named team member."""
        page = self.page
        page.goto(base)
        self.wait(page, self.heading("Selbstanalyse für MINT-Initiativen"))
        page.get_by_role("tab", name="Mit Zugangscode fortsetzen").click()
        page.get_by_role("textbox", name="Zugangscode").fill(code)
        page.get_by_role("textbox", name="Ihr Name (optional, wenn mehrere im Team bewerten)").fill(name)
        page.get_by_role("button", name="Fortsetzen").click()
        self.wait(page, self.heading("A1 Bedarf und Ausgangslage"), self.progress(0))
        expect(page.get_by_text(f"Sie bewerten als {name}").first).to_be_visible()

    def nav(self, link: str, *expected: Locator) -> None:
        self.page.get_by_test_id("stSidebar").get_by_role("link", name=link, exact=True).click()
        self.wait(self.page, *expected)
        self.no_exception()

    def no_exception(self) -> None:
        expect(self.page.get_by_test_id("stException")).to_have_count(0)

    def open_results(self) -> None:
        self.nav("Ergebnisse", self.heading("Ihre Ergebnisse"), self.page.locator(".st-key-results-radar"))

    def radar(self) -> dict[str, dict[str, float | None]]:
        radar = self.page.evaluate(RADAR_JS)
        assert radar is not None, "no plotly radar in .st-key-results-radar"
        return radar

    def wait_radar(self, name: str, sub_id: str, expected: float) -> None:
        """Wait until plotly has drawn the trace with this value (it draws after the script run)."""
        try:
            self.page.wait_for_function(RADAR_VALUE_JS, arg=[name, sub_id, expected], timeout=15_000)
        except Exception:
            pytest.fail(
                f"radar trace {name!r} never showed {sub_id} = {expected}: {self.page.evaluate(RADAR_JS)}"
            )

    def submit(self) -> None:
        super().submit()
        self.no_exception()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"e2e-team-{name}.png"), full_page=True)


def test_team_divergence_agreement_measure_and_second_round(
    app_server: str,
    app_db: Engine,
    questionnaire: Questionnaire,
    new_context: Callable[[], BrowserContext],
    open_start: Callable[[], Page],
    wait_for_app: Callable[..., None],
) -> None:
    q = questionnaire
    # --- The project is started in the browser ----------------------------------------------
    starter = open_start()
    starter.get_by_role("textbox", name="Name der Initiative *").fill("Schülerlabor Flussufer")
    starter.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill(PROJECT)
    starter.get_by_role("button", name="Selbstanalyse starten").click()
    wait_for_app(starter, starter.get_by_role("heading", name="Ihr Zugangscode"))
    block = starter.get_by_test_id("stCode").first
    expect(block).to_have_text(CODE_PATTERN)
    code = block.inner_text().strip()
    with session_factory(app_db)() as s:
        round1 = logins.resume_with_code(s, code)
    assert round1 is not None

    # --- Alex and Bea open it with the code and their names, and rate A1 differently --------
    alex = Member(new_context().new_page(), wait_for_app)
    alex.resume(app_server, code, "Alex")
    bea = Member(new_context().new_page(), wait_for_app)
    bea.resume(app_server, code, "Bea")
    alex.answer("A1.1", "trifft voll zu", answered_after=1)
    alex.answer("A1.2", "trifft voll zu", answered_after=2)
    bea.answer("A1.1", "eher nicht", answered_after=1)  # two steps below Alex: divergent
    bea.answer("A1.2", "eher zu", answered_after=2)  # one step: not divergent
    for name in ("Alex", "Bea"):
        _fill_open(app_db, q, round1, name, "3")

    # Without an agreed value A1.1 counts the lower middle value (2): A1 = (2+3+3+3)/4 → 2,8.
    alex.open_results()
    alex.wait_radar("Ihr Projekt", "A1", 2.8)

    # --- The team view shows the divergence --------------------------------------------------
    alex.nav("Team-Abgleich", alex.heading("Team-Abgleich"))
    page = alex.page
    expect(page.get_by_text(re.compile(r"Alex \(60 Aussagen\)"))).to_be_visible()
    row = page.locator(".st-key-team-row-A1-1")
    expect(row).to_be_visible()
    expect(row.get_by_text("weicht ab")).to_be_visible()
    expect(row).to_contain_text("Alex: trifft voll zu")
    expect(row).to_contain_text("Bea: eher nicht")
    expect(page.locator(".st-key-team-row-A1-2")).to_have_count(0)  # only divergent rows
    alex.shot("01-team-view")

    # --- An agreed value changes the radar ---------------------------------------------------
    row.get_by_test_id("stSelectbox").filter(has_text="Vereinbarter Wert").click()
    page.get_by_role("option", name=q.option("4").label, exact=True).click()
    row.get_by_role("textbox", name="Kurze Begründung").fill("Protokolle mit drei Schulen liegen vor.")
    row.get_by_role("button", name="Vereinbaren").click()
    wait_for_app(page, row.get_by_text(re.compile(r"^Vereinbart:")))
    expect(row).to_contain_text("Protokolle mit drei Schulen liegen vor.")
    alex.open_results()
    alex.wait_radar("Ihr Projekt", "A1", 3.3)  # (4+3+3+3)/4 = 3,25 → 3,3

    # --- A measure is recorded and listed ----------------------------------------------------
    alex.nav("Maßnahmen", alex.heading("Maßnahmen"), page.get_by_text("Noch keine Maßnahmen."))
    form = page.get_by_test_id("stForm")
    form.get_by_test_id("stSelectbox").filter(has_text="Unterkriterium *").click()
    page.get_by_role("option", name=re.compile(r"^C2 Wirkungen bei der Zielgruppe")).click()
    form.get_by_role("textbox", name="Was? *").fill(MEASURE)
    form.get_by_role("textbox", name="Wer?").fill("Alex")
    form.get_by_role("button", name="Maßnahme speichern").click()
    grid = page.get_by_test_id("stDataFrame")
    wait_for_app(page, grid)
    expect(page.get_by_text("Noch keine Maßnahmen.")).to_have_count(0)
    # The grid draws on a canvas; glide renders the cells a moment later as a table for screen readers.
    listed = grid.locator("tbody tr[role='row']")
    expect(listed).to_have_count(1)
    cells = listed.locator("td[role='gridcell']")
    expect(cells).to_have_text(["C2 Wirkungen bei der Zielgruppe", MEASURE, "Alex", "", "geplant", "1", ""])
    alex.shot("02-measures")

    # --- Submit round 1, start round 2 with the answers, change and submit it ----------------
    alex.open_results()
    alex.submit()
    page.get_by_text("Runde 2 beginnen").click()
    prefill = page.get_by_role("checkbox", name="Antworten aus Runde 1 übernehmen und überarbeiten")
    expect(prefill).to_be_checked()
    page.get_by_role("button", name="Runde 2 starten").click()
    wait_for_app(page, alex.heading("A1 Bedarf und Ausgangslage"), alex.progress(TOTAL))
    expect(alex.statement("A1.1").get_by_role("radio", name="trifft voll zu", exact=True)).to_be_checked()
    with session_factory(app_db)() as s:
        round2 = logins.resume_with_code(s, code)
        assert round2 != round1
        assert analyses.analysis_info(s, round2).round == 2
    alex.statement("A1.3").get_by_text("eher nicht", exact=True).click()
    expect(alex.statement("A1.3").get_by_role("radio", name="eher nicht", exact=True)).to_be_checked()
    wait_for_app(page, alex.progress(TOTAL))

    def saved() -> bool:
        with session_factory(app_db)() as s:
            rater = team.member(s, round2, "Alex")
            return answers_of(s, round2, rater).get("A1.3") == "2"

    _eventually(saved, "Alex's changed answer A1.3 in round 2 was not saved")
    for name in ("Alex", "Bea"):
        _set(app_db, q, round2, name, "C2", "4")  # the measure shows: C2 from 3,0 to 4,0

    alex.open_results()
    expect(page.get_by_text(re.compile(r"· Runde 2$"))).to_be_visible()
    alex.submit()
    page.get_by_test_id("stButtonGroup").get_by_role("button", name="Runde 1").click()  # a layer to switch on
    alex.wait_radar("Runde 1", "C2", 3.0)
    alex.wait_radar("Ihr Projekt", "C2", 4.0)
    radar = alex.radar()
    assert {"Ihr Projekt", "Runde 1"} <= set(radar), list(radar)
    assert radar["Runde 1"]["A1"] == 3.3
    assert radar["Ihr Projekt"]["A1"] == 3.0  # agreed 4, 3, Alex 2 / Bea 3 → 2, 3
    changes = alex.heading("Was hat sich verändert? Runde 1 → Runde 2")
    expect(changes).to_be_visible()
    table = page.get_by_test_id("stTable").filter(has_text="Maßnahmen der vorigen Runde")
    expect(table).to_have_count(1)
    c2 = table.get_by_role("row").filter(has_text="C2 Wirkungen bei der Zielgruppe")
    expect(c2).to_contain_text("+1,0")
    expect(c2).to_contain_text(f"{MEASURE} (geplant)")
    expect(table.get_by_role("row").filter(has_text="A1 Bedarf und Ausgangslage")).to_contain_text("−0,3")
    changes.evaluate("el => el.scrollIntoView({block: 'start'})")
    alex.shot("03-round2-results")
    for member in (alex, bea):
        member.no_exception()
