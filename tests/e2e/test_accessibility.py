"""Accessibility in a real browser: axe-core (WCAG 2.0–2.2 A/AA rules) on every page and state,
German document language, a title per page, and keyboard focus on the new step after "Weiter"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.browser_tab import CHART

pytestmark = pytest.mark.e2e

PROJECT_ROOT = Path(__file__).resolve().parents[2]
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Streamlit's own chrome, which the app neither renders nor can change. Everything else counts.
EXCLUDED = [
    # The toolbar in the top-right corner ("minimal" mode): an empty, hidden Streamlit menu.
    ["[data-testid='stToolbar']"],
    # The "Skip to main content" link and the status widget Streamlit adds to every page.
    ["[data-testid='stStatusWidget']"],
]
RUN_AXE = """async ({tags, exclude}) => {
  const result = await axe.run({exclude}, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id} (${v.impact}): ${v.help}\\n` + v.nodes.slice(0, 6).map(
      n => `    ${n.target.join(' ')} – ${(n.failureSummary || '').split('\\n').slice(1).join(' ')}`
    ).join('\\n'));
}"""


def axe_violations(page: Page) -> list[str]:
    """Serious and critical WCAG A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, {"tags": WCAG_TAGS, "exclude": EXCLUDED})


class Audit:
    """Runs axe on each visited state and collects every finding for one readable failure."""

    def __init__(self, wait: Callable[..., None]) -> None:
        self.wait = wait
        self.findings: dict[str, list[str]] = {}
        self.titles: dict[str, str] = {}

    def check(self, name: str, page: Page, *expected) -> None:
        self.wait(page, *expected)
        for plot in page.locator(CHART).all():
            expect(plot.locator(".main-svg").first).to_be_attached()
        # The page's script sets lang="de" right after Streamlit renders; wait for it, then axe reads it too.
        expect(page.locator("html"), f"{name}: <html lang> is not de").to_have_attribute("lang", "de")
        self.titles[name] = page.title()
        violations = axe_violations(page)
        if violations:
            self.findings[name] = violations

    def report(self) -> str:
        return "\n".join(f"[{state}]\n  " + "\n  ".join(v) for state, v in self.findings.items())


def test_every_page_and_state_passes_axe(
    app_server: str,
    demo_codes: dict[str, str],
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    audit = Audit(wait_for_app)
    heading = lambda page, name: page.get_by_role("heading", name=name, exact=True)  # noqa: E731

    # --- A new analysis: start, code, preparation, a step, unsubmitted results ----------------
    page = new_context().new_page()
    page.goto(app_server)
    audit.check("Start", page, heading(page, "Selbstanalyse für MINT-Initiativen"))
    page.get_by_role("textbox", name="Name der Initiative *").fill("Forscherwerkstatt Nordstadt")
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Robotik-AG")
    page.get_by_role("button", name="Selbstanalyse starten").click()
    audit.check("Zugangscode", page, heading(page, "Ihr Zugangscode"))
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()
    audit.check("Vorbereitung", page, heading(page, "Vorbereitung"))
    page.get_by_role("button", name="Los geht’s: zur Durchführung").click()
    audit.check("Schritt A1", page, heading(page, "A1 Bedarf und Ausgangslage"))
    group = page.get_by_role("radiogroup").first
    group.get_by_text("trifft voll zu", exact=True).click()
    expect(group.get_by_role("radio", name="trifft voll zu", exact=True)).to_be_checked()
    page.get_by_role("button", name="Weiter →").click()
    audit.check("Schritt A2", page, heading(page, "A2 Zielgruppen"))
    page.get_by_test_id("stSidebar").get_by_role("link", name="Ergebnisse", exact=True).click()
    # The whole page: what is below the radar comes once the radar is drawn.
    audit.check(
        "Ergebnisse (offen)", page, heading(page, "Ihre Ergebnisse"), heading(page, "Alle Werte als Tabelle")
    )
    page.get_by_test_id("stSidebar").get_by_role("link", name="Anonymität", exact=True).click()
    audit.check("Anonymität", page, heading(page, "Wie mintqo die Gruppenzahlen schützt"))

    # --- The demo project: submitted round-2 results, team view, measures --------------------
    demo = new_context().new_page()
    demo.goto(f"{app_server}/?code={demo_codes['analysis']}")
    audit.check(
        "Ergebnisse (Demo)",
        demo,
        heading(demo, "Ihre Ergebnisse"),
        demo.locator(CHART).first,
        heading(demo, "Alle Werte als Tabelle"),
    )
    sidebar = demo.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Team-Abgleich", exact=True).click()
    audit.check("Team-Abgleich", demo, heading(demo, "Team-Abgleich"))
    sidebar.get_by_role("link", name="Maßnahmen", exact=True).click()
    audit.check("Maßnahmen", demo, heading(demo, "Maßnahmen"), demo.get_by_test_id("stDataFrame"))
    sidebar.get_by_role("link", name="Daten löschen", exact=True).click()
    audit.check("Daten löschen", demo, heading(demo, "Daten löschen"))

    # --- Moderation, dashboard and the presentation ------------------------------------------
    mod = new_context().new_page()
    mod.goto(f"{app_server}/moderation")
    audit.check("Moderation", mod, heading(mod, "Moderation von Workshopgruppen"))
    mod.get_by_role("textbox", name="Moderationscode").fill(demo_codes["facilitator"])
    mod.get_by_role("button", name="Anmelden").click()
    # The whole dashboard: heatmap, agenda and part 3 come once the group radar is drawn.
    audit.check(
        "Dashboard",
        mod,
        heading(mod, "Teilnahme"),
        mod.locator(CHART).first,
        heading(mod, "Diskussionsagenda"),
    )
    mod.get_by_role("button", name="Präsentation starten").click()
    counter = mod.locator(".slide-counter")
    audit.check("Folie 1", mod, counter.filter(has_text="Folie 1 /"))
    for number in (2, 3):
        mod.get_by_role("button", name="Weiter →").click()
        audit.check(f"Folie {number}", mod, counter.filter(has_text=f"Folie {number} /"))

    assert not audit.findings, "axe-core found serious/critical WCAG violations:\n" + audit.report()
    pages_titles = {audit.titles[s] for s in ("Start", "Vorbereitung", "Schritt A1", "Ergebnisse (offen)")}
    assert len(pages_titles) == 4, f"pages share a title: {audit.titles}"


def test_focus_moves_to_the_new_step_and_arrow_keys_do_not_change_it(
    app_server: str, page: Page, wait_for_app: Callable[..., None]
) -> None:
    page.goto(app_server)
    wait_for_app(page, page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
    page.get_by_role("textbox", name="Name der Initiative *").fill("Tastatur-Initiative")
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Nur mit Tasten")
    page.get_by_role("button", name="Selbstanalyse starten").press("Enter")
    wait_for_app(page, page.get_by_role("heading", name="Ihr Zugangscode"))
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").press("Enter")
    prepare = page.get_by_role("heading", name="Vorbereitung", exact=True)
    wait_for_app(page, prepare)
    expect(prepare).to_be_focused()
    page.get_by_role("button", name="Los geht’s: zur Durchführung").press("Enter")
    a1 = page.get_by_role("heading", name="A1 Bedarf und Ausgangslage", exact=True)
    wait_for_app(page, a1, page.get_by_role("radiogroup").last)
    expect(a1).to_be_focused()

    # From the heading, Tab passes the two expanders and reaches the first statement.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "radio"
    page.keyboard.press("Space")
    wait_for_app(page, page.get_by_text("1 von 60 Aussagen beantwortet", exact=True))

    page.get_by_role("button", name="Weiter →").press("Enter")
    a2 = page.get_by_role("heading", name="A2 Zielgruppen", exact=True)
    wait_for_app(page, a2)
    expect(a2).to_be_focused()

    # The step list is a list of buttons: an arrow key on it moves nothing.
    steps = page.locator(".st-key-assess-steps")
    first_step = steps.get_by_role("button", name="◐ A1 Bedarf und Ausgangslage", exact=True)
    first_step.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    wait_for_app(page, a2)
    expect(steps.get_by_text("A2 Zielgruppen (aktueller Schritt)")).to_be_attached()
    first_step.press("Enter")
    a1 = page.get_by_role("heading", name="A1 Bedarf und Ausgangslage", exact=True)
    wait_for_app(page, a1)
    expect(a1).to_be_focused()


def test_phone_layout_passes_axe_with_large_answer_targets(
    app_server: str, new_context: Callable[[], BrowserContext], wait_for_app: Callable[..., None]
) -> None:
    page = new_context().new_page()
    page.set_viewport_size(PHONE)
    audit = Audit(wait_for_app)
    page.goto(app_server)
    audit.check(
        "Start (Smartphone)", page, page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen")
    )
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    page.get_by_role("textbox", name="Name der Initiative *").fill("Handy-Initiative")
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Unterwegs")
    page.get_by_role("button", name="Selbstanalyse starten").click()
    wait_for_app(page, page.get_by_role("heading", name="Ihr Zugangscode"))
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()
    wait_for_app(page, page.get_by_role("heading", name="Vorbereitung", exact=True))
    page.get_by_role("button", name="Los geht’s: zur Durchführung").click()
    first = page.get_by_role("radiogroup").first
    audit.check(
        "Schritt A1 (Smartphone)", page, page.get_by_role("heading", name="A1 Bedarf und Ausgangslage"), first
    )
    assert not audit.findings, audit.report()

    # The six options are a vertical list of full-width targets at least 44 px high, in scale order.
    boxes = [option.bounding_box() for option in first.get_by_test_id("stRadioOption").all()]
    assert len(boxes) == 6 and all(box is not None for box in boxes)
    assert all(box["height"] >= 44 and box["width"] >= 300 for box in boxes), boxes
    assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
    assert len({round(box["x"]) for box in boxes}) == 1
    # Nothing is wider than the screen.
    assert page.evaluate("document.querySelector('[data-testid=stMain]').scrollWidth") <= PHONE["width"]
