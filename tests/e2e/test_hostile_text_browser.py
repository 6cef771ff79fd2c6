"""Hostile names and notes in real Chromium: results, dashboard and a presentation slide show them as
typed, render no markup and load nothing from outside the server."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine

from mintqo.config import Settings
from mintqo.db.engine import migrate, session_factory
from mintqo.domain.profile import Profile
from mintqo.domain.workshop import GroupSpec
from mintqo.questionnaire_files import get_edition
from mintqo.services import analyses, groups, releases
from mintqo.services import answers as answer_service
from tests.support.browser_tab import CHART

pytestmark = pytest.mark.e2e

# Every image points outside the server: had any of it rendered, the browser would request it.
PROJECT = "# Überschrift ![x](http://example.org/x.png) <b>fett</b> :red[rot] $x$ | a | b |"
INITIATIVE = "Initiative <img src='http://example.org/i.png'> **stark**"
GROUP = "Gruppe ![g](http://example.org/g.png) <i>kursiv</i> :blue[blau] $y$"
REGION = "Region <b>Nord</b> [link](http://example.org)"
NOTE = "- Punkt ![n](http://example.org/n.png)\n> Zitat <img src=http://example.org/z.png>"
FOREIGN = "http://example.org"


def _workshop(engine: Engine) -> tuple[str, str]:
    """Five submitted analyses with hostile names in a group with a hostile name, released;
    returns (an access code, the facilitator code)."""
    settings = Settings()
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    with session_factory(engine)() as s:
        created = groups.create_group(s, q, GroupSpec(GROUP, REGION, k=3))
        codes = []
        for number in range(1, 6):
            started = analyses.start_analysis(s, q, Profile(INITIATIVE, f"{PROJECT} {number}"))
            info = analyses.analysis_info(s, started.analysis_id)
            for i, statement in enumerate(q.statements()):
                value = ("4", "3", "2", "1")[(i + number) % 4]
                answer_service.record_answer(s, q, info.analysis_id, info.rater_id, statement.id, value)
            answer_service.save_note(s, q, info.analysis_id, "A1", note=NOTE, action_needed=True)
            groups.join_group(s, info.analysis_id, created.join_code)
            analyses.submit(s, info.analysis_id)
            codes.append(started.code)
        releases.release(s, created.group_id, q)
    return codes[0], created.facilitator_code


def _shown(page: Page) -> str:
    """The main area's visible text, without the invisible word joiners that keep URLs from linking."""
    text = page.get_by_test_id("stMain").inner_text().replace("\u2060", "")
    return " ".join(text.split())


def _no_markup(page: Page) -> None:
    """None of the injected constructs became an element."""
    markdown = page.locator("[data-testid='stMarkdownContainer']")
    for selector in (
        "img",
        "h1 >> text=Überschrift",
        "b >> text=fett",
        "i >> text=kursiv",
        "table:not(.mq-sr-only)",  # the slide chart's own screen-reader table is no injection
        ".katex",
    ):
        expect(markdown.locator(selector)).to_have_count(0)
    expect(page.locator("a[href^='http://example.org']")).to_have_count(0)


def test_hostile_names_show_as_typed_and_load_nothing_from_elsewhere(
    app_server: str,
    app_db: Engine,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    external: list[str] = []
    participant, facilitator = new_context().new_page(), new_context().new_page()
    for page in (participant, facilitator):
        page.on("request", lambda r: None if r.url.startswith(app_server) else external.append(r.url))
    participant.goto(app_server)
    wait_for_app(participant, participant.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
    migrate(app_db.url.render_as_string(hide_password=False))  # the server has migrated by now
    code, facilitator_code = _workshop(app_db)

    # Results: project, initiative, note and the group's name in the comparison, all as typed.
    participant.goto(f"{app_server}/?code={code}")
    wait_for_app(
        participant,
        participant.get_by_role("heading", name="Ihre Ergebnisse"),
        participant.get_by_role("heading", name="Alle Werte als Tabelle"),  # the rest, after the radar
    )
    expect(participant.locator(CHART).first).to_be_visible()
    shown = _shown(participant)
    for text in (f"{PROJECT} 1 · {INITIATIVE} · Runde 1", "- Punkt ![n](http://example.org/n.png) > Zitat"):
        assert text in shown, text
    assert f"Workshopgruppe „{GROUP}“" in shown
    _no_markup(participant)

    # Dashboard: the group's name is the page title, its region and the comparison caption follow.
    facilitator.goto(f"{app_server}/moderation")
    wait_for_app(facilitator, facilitator.get_by_role("heading", name="Moderation von Workshopgruppen"))
    facilitator.get_by_role("textbox", name="Moderationscode").fill(facilitator_code)
    facilitator.get_by_role("button", name="Anmelden").click()
    wait_for_app(facilitator, facilitator.get_by_role("heading", name="Diskussionsagenda"))
    assert facilitator.locator("h1").first.inner_text().replace("\u2060", "").strip() == GROUP
    shown = _shown(facilitator)
    assert f"Region {REGION} · Anonymitätsschwelle k = 3" in shown
    assert f"Workshopgruppe „{GROUP}“" in shown
    _no_markup(facilitator)

    # A presentation slide: the footer on the projector names the group as typed.
    facilitator.get_by_role("button", name="Präsentation starten").click()
    footer = facilitator.locator(".slide-footer")
    wait_for_app(facilitator, facilitator.locator(".slide-title").filter(has_text="Überblick"))
    assert f"Workshopgruppe „{GROUP}“" in footer.inner_text()
    expect(footer.locator("i, img, b")).to_have_count(0)
    facilitator.get_by_role("button", name="Weiter →").click()
    wait_for_app(facilitator, facilitator.locator(".slide-counter").filter(has_text="Folie 2 / 20"))
    assert GROUP in footer.inner_text()
    _no_markup(facilitator)

    assert not [url for url in external if url.startswith(FOREIGN)]
    assert external == []
