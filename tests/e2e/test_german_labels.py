"""German throughout: none of Streamlit's own English texts is visible or announced on the main pages.

Walks every page a participant and a facilitator open, at 1280×720 and on a 390 px phone, in the
states that make Streamlit add its hints (a changed field, a hovered table, an unknown address), and
fails when a known English Streamlit string (mintqo/ui/streamlit_german.py) is in a text node or in an
aria-label, title, placeholder or aria-valuetext attribute.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Error, Page, expect

from mintqo.ui.streamlit_german import DIALOG_TEXTS, GERMAN, PREFIXES

pytestmark = pytest.mark.e2e

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}
# Plain JavaScript: every English Streamlit string still in the page (text or attribute).
ENGLISH = """([known, prefixes]) => {
  const english = new Set(known);
  const hit = text => english.has(text) || prefixes.some(p => text.startsWith(p));
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const tag = node.parentElement ? node.parentElement.tagName : '';
    if (text && tag !== 'SCRIPT' && tag !== 'STYLE' && hit(text)) found.push(`Text „${text}“`);
  }
  for (const attr of ['aria-label', 'title', 'placeholder', 'aria-valuetext']) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      const value = el.getAttribute(attr).trim();
      if (hit(value)) found.push(`${attr}=„${value}“ on <${el.tagName.toLowerCase()}>`);
    }
  }
  return found;
}"""
NONE_LEFT = f"args => ({ENGLISH})(args).length === 0"
KNOWN = [[*GERMAN, *DIALOG_TEXTS], [english for english, _ in PREFIXES]]


class EnglishCheck:
    """Collects, per page state, the English Streamlit strings left after the translation ran."""

    def __init__(self, wait: Callable[..., None]) -> None:
        self.wait = wait
        self.findings: dict[str, list[str]] = {}

    def check(self, name: str, page: Page, *expected) -> None:
        self.wait(page, *expected)
        try:  # the translation runs on the next DOM change: wait for it, not for a fixed time
            page.wait_for_function(NONE_LEFT, arg=KNOWN, timeout=15_000)
        except Error:
            left = page.evaluate(ENGLISH, KNOWN)
            if left:  # not a busy page that finished translating just now
                self.findings[name] = left

    def report(self) -> str:
        return "\n".join(f"[{state}] " + "; ".join(hits) for state, hits in self.findings.items())


def walk_new_analysis(page: Page, check: EnglishCheck, size: str) -> None:
    """Start, code, preparation and a walkthrough step, with a changed field on each form."""
    heading = lambda name: page.get_by_role("heading", name=name, exact=True)  # noqa: E731
    check.check(f"Start {size}", page, heading("Selbstanalyse für MINT-Initiativen"))
    page.get_by_role("textbox", name="Name der Initiative *").fill("Sprach-Initiative")
    # A changed field in a form: Streamlit adds "Press Enter to submit form" and a counter.
    check.check(f"Start, Feld geändert {size}", page, page.get_by_test_id("InputInstructions").first)
    page.get_by_role("textbox", name="Projekt, das Sie analysieren *").fill("Alles auf Deutsch")
    page.get_by_role("button", name="Selbstanalyse starten").click()
    check.check(f"Zugangscode {size}", page, heading("Ihr Zugangscode"))
    page.get_by_role("button", name="Code notiert – weiter zur Vorbereitung").click()
    check.check(f"Vorbereitung {size}", page, heading("Vorbereitung"))
    page.get_by_role("button", name="Los geht’s: zur Durchführung").click()
    check.check(f"Schritt A1 {size}", page, heading("A1 Bedarf und Ausgangslage"))
    page.get_by_role("textbox", name="Begründung / Belege").fill("Unsere Belege")
    check.check(f"Schritt A1, Notiz getippt {size}", page, page.get_by_test_id("InputInstructions").first)


def test_no_english_streamlit_text_on_any_page(
    app_server: str,
    demo_codes: dict[str, str],
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    check = EnglishCheck(wait_for_app)
    for size, viewport in (("1280×720", PROJECTOR), ("390×844", PHONE)):
        page = new_context().new_page()
        page.set_viewport_size(viewport)
        page.goto(app_server)
        walk_new_analysis(page, check, size)

    # The demo team project: results, team view, measures (a data grid with its toolbar), deletion.
    demo = new_context().new_page()
    demo.set_viewport_size(PROJECTOR)
    demo.goto(f"{app_server}/?code={demo_codes['analysis']}")
    check.check(
        "Ergebnisse",
        demo,
        demo.get_by_role("heading", name="Ihre Ergebnisse", exact=True),
        demo.get_by_role("heading", name="Alle Werte als Tabelle", exact=True),  # the whole page
    )
    sidebar = demo.get_by_test_id("stSidebar")
    for link, title in (
        ("Team-Abgleich", "Team-Abgleich"),
        ("Daten löschen", "Daten löschen"),
        ("Anonymität", "Wie mintqo die Gruppenzahlen schützt"),
        ("Maßnahmen", "Maßnahmen"),
    ):
        sidebar.get_by_role("link", name=link, exact=True).click()
        check.check(title, demo, demo.get_by_role("heading", name=title, exact=True))
    grid = demo.get_by_test_id("stDataFrame").first
    wait_for_app(demo, grid)
    grid.hover()
    demo.get_by_test_id("stElementToolbarButton").first.hover()
    check.check("Maßnahmen, Tabellen-Werkzeugleiste", demo, demo.get_by_test_id("stTooltipContent").first)

    # An address that does not exist: Streamlit's "Page not found" dialog.
    demo.goto(f"{app_server}/gibt-es-nicht")
    check.check("Unbekannte Adresse", demo, demo.get_by_role("dialog"))
    expect(demo.get_by_role("dialog")).to_contain_text("Seite nicht gefunden")

    # Moderation (date fields), dashboard and the first slide (round and slide pickers).
    mod = new_context().new_page()
    mod.set_viewport_size(PROJECTOR)
    mod.goto(f"{app_server}/moderation")
    mod.get_by_role("tab", name="Neue Workshopgruppe anlegen").click()
    check.check("Moderation, neue Gruppe", mod, mod.get_by_test_id("stDateInput").first)
    expect(mod.get_by_test_id("stDateInput").first).to_contain_text("TT.MM.JJJJ")
    mod.get_by_role("button", name="Datum auswählen").first.click()
    check.check("Moderation, Kalender", mod, mod.get_by_role("button", name="Vorheriger Monat"))
    mod.keyboard.press("Escape")
    mod.get_by_role("tab", name="Mit Moderationscode anmelden").click()
    mod.get_by_role("textbox", name="Moderationscode").fill(demo_codes["facilitator"])
    mod.get_by_role("button", name="Anmelden").click()
    check.check(
        "Dashboard",
        mod,
        mod.get_by_role("button", name="Präsentation starten"),
        mod.get_by_role("heading", name="Diskussionsagenda", exact=True),  # the whole page
    )
    mod.get_by_role("button", name="Präsentation starten").click()
    check.check("Folie 1", mod, mod.locator(".slide-counter").filter(has_text="Folie 1 /"))

    assert not check.findings, "English Streamlit text left:\n" + check.report()
