"""Screenshot every page in headless Chromium, for people to look at before a release.

Starts `streamlit run app.py` on a temporary database with the demo analysis and the demo
workshop group and writes PNGs to test-artifacts/screens/: the walkthrough pages; the demo team
project as "Alex" (team view, measures, the deletion page, round-2 results with the change table); then at
1920×1080 the moderation page, the group dashboard (with its part-3 section of round 2), all 20
presentation slides (slide01.png … slide20.png, and at 1280×720 slide01-1280x720.png …),
participants' results pages following the presentation (one of round 2 like the wall, one of round 1);
and each main page on a tablet (820×1180) and a phone (390×844): start, a walkthrough step, results,
team view, measures and the dashboard (tablet-*.png, phone-*.png, and the first screen at
1280×720 and 1920×1080: laptop-*.png, fullhd-*.png).
Run: .venv/bin/python -m scripts.screenshots          (everything)
     .venv/bin/python -m scripts.screenshots devices  (only the per-size pages)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from mintqo.config import PROJECT_ROOT as ROOT
from tests.support.browser_tab import CHART, start_walkthrough
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop

OUT = ROOT / "test-artifacts" / "screens"
FULL_HD = {"width": 1920, "height": 1080}
PROJECTOR = {"width": 1280, "height": 720}
DEVICES = {
    "tablet": {"width": 820, "height": 1180},
    "phone": {"width": 390, "height": 844},
    "laptop": PROJECTOR,  # what a facilitator's 1280×720 projector or a small laptop shows
    "fullhd": FULL_HD,
}
SLIDES = 20
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
PLOTLY_MS = 1500  # plotly draws after the script run is over; nothing to wait on for that
FOLLOW_MS = 15_000  # the participant's "Sie sind hier" fragment polls every 4 s


def settle(page: Page, *expected: Locator) -> None:
    """Wait until the expected content is on screen and the script run is over."""
    for locator in expected:
        expect(locator).to_be_visible(timeout=30_000)
    page.wait_for_selector(IDLE, state="attached")
    for locator in expected:
        expect(locator).to_be_visible(timeout=30_000)


def shoot(page: Page, name: str, *, plotly: bool = True) -> None:
    """A screenshot of the viewport as test-artifacts/screens/NAME.png."""
    if plotly:
        page.wait_for_timeout(PLOTLY_MS)
    page.screenshot(path=OUT / f"{name}.png")


def scroll_to(page: Page, heading: str) -> None:
    """Bring a heading to the top (Streamlit scrolls inside [data-testid='stMain'], not the window)."""
    target = page.get_by_role("heading", name=heading, exact=True)
    expect(target).to_be_visible(timeout=30_000)
    target.evaluate("el => el.scrollIntoView({block: 'start'})")


def team_pages(browser: Browser, base: str, participant_code: str) -> None:
    """The demo team project as member "Alex": round-2 results, team view and measures."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(base)
    settle(page, page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
    page.get_by_role("tab", name="Mit Zugangscode fortsetzen").click()
    page.get_by_role("textbox", name="Zugangscode").fill(participant_code)
    page.get_by_role("textbox", name="Ihr Name (optional, wenn mehrere im Team bewerten)").fill("Alex")
    page.get_by_role("button", name="Fortsetzen").click()
    # Round 2 of the demo project is submitted: the code opens its results.
    settle(
        page,
        page.get_by_role("heading", name="Ihre Ergebnisse"),
        page.locator(".st-key-results-radar .js-plotly-plot"),
        page.get_by_text("Sie bewerten als Alex", exact=False).first,
    )
    shoot(page, "runde2-ergebnisse-oben")
    scroll_to(page, "Was hat sich verändert? Runde 1 → Runde 2")
    shoot(page, "runde2-veraenderungen", plotly=False)

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Team-Abgleich", exact=True).click()
    settle(page, page.get_by_role("heading", name="Team-Abgleich"), page.get_by_text("weicht ab").first)
    shoot(page, "team-abgleich", plotly=False)

    sidebar.get_by_role("link", name="Maßnahmen", exact=True).click()
    settle(page, page.get_by_role("heading", name="Ihre Maßnahmen"), page.get_by_test_id("stDataFrame"))
    shoot(page, "massnahmen")  # the list is a canvas grid: give it the same moment as plotly

    sidebar.get_by_role("link", name="Daten löschen", exact=True).click()
    settle(page, page.get_by_role("heading", name="Daten löschen"), page.get_by_text("Endgültig löschen"))
    shoot(page, "daten-loeschen", plotly=False)
    page.close()


def group_pages(
    browser: Browser, base: str, facilitator_code: str, participant_code: str, other_code: str
) -> None:
    """Moderation, dashboard, every slide, and a participant following the presentation."""
    mod = browser.new_page(viewport=FULL_HD)
    mod.goto(base)
    settle(mod, mod.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
    mod.get_by_role("link", name="Moderation").click()
    settle(mod, mod.get_by_role("heading", name="Moderation von Workshopgruppen"))
    shoot(mod, "moderation", plotly=False)

    mod.get_by_role("textbox", name="Moderationscode").fill(facilitator_code)
    mod.get_by_role("button", name="Anmelden").click()
    # The whole dashboard: what is below the group radar comes once the radar is drawn.
    agenda = mod.get_by_role("heading", name="Diskussionsagenda", exact=True)
    settle(mod, mod.get_by_role("heading", name="Teilnahme"), mod.locator(CHART).first, agenda)
    shoot(mod, "dashboard")
    # Streamlit scrolls inside its own container ([data-testid='stMain']), not the window.
    for name, heading in (
        ("dashboard-gruppenbild", "Gruppenbild · Runde 2"),  # the demo group's newest round
        ("dashboard-agenda", "Diskussionsagenda"),
        ("dashboard-teil3", "Teil 3: Was hat sich verändert?"),
    ):
        scroll_to(mod, heading)
        shoot(mod, name)

    mod.get_by_role("button", name="Präsentation starten").click()
    counter = mod.locator(".slide-counter")
    settle(mod, counter.filter(has_text=f"Folie 1 / {SLIDES}"))

    # The participant opens the results while the facilitator presents.
    part = browser.new_page(viewport=FULL_HD)
    part.goto(f"{base}/?code={participant_code}")  # a submitted analysis opens on its results
    here = part.locator(".st-key-results-you-are-here")
    settle(part, part.get_by_role("heading", name="Ihre Ergebnisse"), here)
    expect(here).to_contain_text("Sie sind hier · Überblick", timeout=FOLLOW_MS)
    part.wait_for_selector(IDLE, state="attached")
    shoot(part, "ergebnisse-praesentation-oben")
    here.evaluate("el => el.scrollIntoView({block: 'start'})")
    shoot(part, "ergebnisse-sie-sind-hier")

    # A project of round 1 only: the wall shows round 2, and the box says so.
    other = browser.new_page(viewport=FULL_HD)
    other.goto(f"{base}/?code={other_code}")
    box = other.locator(".st-key-results-you-are-here")
    settle(other, other.get_by_role("heading", name="Ihre Ergebnisse"), box)
    expect(box).to_contain_text("Ihre Analyse gehört zu Runde 1", timeout=FOLLOW_MS)
    box.evaluate("el => el.scrollIntoView({block: 'start'})")
    shoot(other, "ergebnisse-sie-sind-hier-andere-runde")
    other.close()

    for number in range(1, SLIDES + 1):
        settle(mod, counter.filter(has_text=f"Folie {number} / {SLIDES}"), mod.locator(".slide-title"))
        shoot(mod, f"slide{number:02d}")
        if number == 3:  # a sub-criterion: the participant sees the own position in it
            title = mod.locator(".slide-title").inner_text().strip()
            expect(here).to_contain_text(f"Sie sind hier · {title}", timeout=FOLLOW_MS)
            part.wait_for_selector(IDLE, state="attached")
            here.evaluate("el => el.scrollIntoView({block: 'start'})")
            shoot(part, "ergebnisse-sie-sind-hier-unterkriterium")
        if number < SLIDES:
            mod.get_by_role("button", name="Weiter →").click()
    # The same slides on a small projector (1280×720), walked back with the clicker's PageUp.
    mod.set_viewport_size(PROJECTOR)
    for number in range(SLIDES, 0, -1):
        settle(mod, counter.filter(has_text=f"Folie {number} / {SLIDES}"), mod.locator(".slide-title"))
        shoot(mod, f"slide{number:02d}-1280x720")
        if number > 1:
            mod.keyboard.press("PageUp")
    mod.get_by_role("button", name="Beenden").click()
    settle(mod, mod.get_by_role("heading", name="Teilnahme"))


def device_pages(browser: Browser, base: str, code: str, facilitator_code: str) -> None:
    """Start, a walkthrough step, results, team view, measures and dashboard at every size in DEVICES."""
    for device, viewport in DEVICES.items():
        touch = device in ("tablet", "phone")
        context = browser.new_context(viewport=viewport, is_mobile=touch, has_touch=touch, locale="de-DE")
        page = context.new_page()
        page.goto(base)
        settle(page, page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
        shoot(page, f"{device}-start", plotly=False)
        start_walkthrough(page, settle, "Forscherwerkstatt Nordstadt", "Robotik-AG Klasse 5–7")
        page.get_by_role("radiogroup").first.get_by_text("eher zu", exact=True).click()
        settle(page, page.get_by_text("1 von 60 Aussagen beantwortet", exact=True))
        shoot(page, f"{device}-durchfuehrung", plotly=False)
        scroll_to(page, "A1 Bedarf und Ausgangslage")
        page.get_by_role("radiogroup").nth(1).scroll_into_view_if_needed()
        shoot(page, f"{device}-durchfuehrung-antworten", plotly=False)

        page.goto(f"{base}/?code={code}")  # the submitted demo opens on its results
        chart = page.locator(CHART).filter(visible=True).first  # phones: table, no radar
        settle(page, page.get_by_role("heading", name="Ihre Ergebnisse"), chart)
        shoot(page, f"{device}-ergebnisse")
        token = re.search(r"sitzung=[^&]+", page.url).group(0)
        scroll_to(page, "Profil über alle Unterkriterien")
        shoot(page, f"{device}-ergebnisse-radar")
        scroll_to(page, "Hauptkriterien")
        shoot(page, f"{device}-ergebnisse-hauptkriterien")
        for name, heading in (("team", "Team-Abgleich"), ("massnahmen", "Maßnahmen")):
            page.goto(f"{base}/{name}?{token}")
            settle(page, page.get_by_role("heading", name=heading, exact=True))
            shoot(page, f"{device}-{name}")

        mod = context.new_page()
        mod.goto(f"{base}/moderation")
        settle(mod, mod.get_by_role("heading", name="Moderation von Workshopgruppen"))
        mod.get_by_role("textbox", name="Moderationscode").fill(facilitator_code)
        mod.get_by_role("button", name="Anmelden").click()
        agenda = mod.get_by_role("heading", name="Diskussionsagenda", exact=True)  # the whole dashboard
        settle(mod, mod.get_by_role("heading", name="Teilnahme"), mod.get_by_role("tab").first, agenda)
        shoot(mod, f"{device}-dashboard")
        scroll_to(mod, "Gruppenbild · Runde 2")
        shoot(mod, f"{device}-dashboard-gruppenbild")
        context.close()


def main() -> None:
    """Start the app with demo data and capture each page."""
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="mintqo-shots-"))
    env = {**os.environ, "MINTQO_DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}"}
    demo = subprocess.run(
        [sys.executable, "-m", "mintqo", "demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code = re.search(r"Zugangscode: (\S+)", demo.stdout).group(1)
    facilitator_code = re.search(r"Moderationscode: (\S+)", demo.stdout).group(1)
    participant_code = re.search(r"Teilnehmer-Code 1: (\S+)", demo.stdout).group(1)
    other_code = re.search(r"Teilnehmer-Code 2: (\S+)", demo.stdout).group(1)
    server, base = start_streamlit("app.py", env, tmp / "streamlit.log")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
            device_pages(browser, base, code, facilitator_code)
            if sys.argv[1:] == ["devices"]:
                return
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(base)
            expect(page.get_by_role("textbox", name="Name der Initiative *")).to_be_visible()
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
            page.screenshot(path=OUT / "start.png")
            page.goto(f"{base}/?code={code}")  # the demo is submitted: opens on its results
            expect(page.get_by_role("heading", name="Ihre Ergebnisse")).to_be_visible()
            for name, link, heading, size in [
                ("durchfuehrung", "Durchführung", "A1 Bedarf und Ausgangslage", (1280, 1600)),
                ("vorbereitung", "Vorbereitung", "Vorbereitung", (1280, 1500)),
                ("ergebnisse", "Ergebnisse", "Ihre Ergebnisse", (1440, 2600)),
            ]:
                page.get_by_role("link", name=link).click()
                page.set_viewport_size({"width": size[0], "height": size[1]})
                expect(page.get_by_role("heading", name=heading)).to_be_visible()
                page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
                page.wait_for_timeout(1500)  # let plotly finish drawing
                page.screenshot(path=OUT / f"{name}.png")
            page.close()
            team_pages(browser, base, participant_code)
            group_pages(browser, base, facilitator_code, participant_code, other_code)
            browser.close()
    finally:
        stop(server)
    print(f"Screenshots in {OUT}")


if __name__ == "__main__":
    main()
