"""The results page in Chromium: the radar first, the rest once it is drawn, with nothing moved."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine

from mintqo.db.engine import migrate, session_factory
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups
from mintqo.services.answers import record_answer
from mintqo.ui.first_screen import CHART_CODE_KEY, HOLD_LIMIT_MS, css_class
from mintqo.ui.results_widgets import RADAR_KEY, REST_KEY
from tests.support.first_screen_js import defer_rest

pytestmark = pytest.mark.e2e

HOLD = "Weitere Auswertungen werden geladen …"
REST = "Alle Werte als Tabelle"  # far below the radar
DEFER_REST = defer_rest(RADAR_KEY, REST_KEY)  # the page's own click on its hidden button waits for the test
RADAR_TOP = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return document.querySelector('.st-key-results-radar').getBoundingClientRect().top + main.scrollTop;
}"""
SCROLL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"


def _held_demo(new_context: Callable[[], BrowserContext], url: str) -> Page:
    """The demo's resume link in a fresh browser whose click on the hidden button waits for the test."""
    context = new_context()
    context.add_init_script(DEFER_REST)
    page = context.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__restAsked > 0")
    return page


def test_the_rest_comes_after_the_radar_is_drawn_without_moving_focus_scroll_or_the_top(
    app_server: str, new_context: Callable[[], BrowserContext], demo_codes: dict[str, str], wait_for_app
) -> None:
    page = _held_demo(new_context, f"{app_server}/?code={demo_codes['analysis']}")
    drawn, after = page.evaluate("() => [window.__radarDrawnWhenAsked, window.__askedAfter]")
    assert drawn or after >= HOLD_LIMIT_MS - 50, f"the rest was asked for {after:.0f} ms in, before the radar"
    expect(page.get_by_text(HOLD)).to_be_visible()
    expect(page.get_by_role("heading", name=REST)).to_have_count(0)
    hidden = page.locator(".st-key-results-rest button")
    expect(hidden).to_be_attached()
    expect(hidden).to_be_hidden()  # neither seen nor reached by keyboard or screen reader
    # The empty chart that made the browser load the chart code early: nothing to see, hear or skip.
    code = page.locator(f".{css_class(CHART_CODE_KEY)}")
    expect(code).to_be_attached()
    expect(code).to_be_hidden()
    assert code.evaluate("e => e.getClientRects().length") == 0, "the chart code's chart takes room"
    # The user reads on and puts the focus on a layer switch while the rest is on its way.
    layer = page.get_by_test_id("stButtonGroup").get_by_role("button", name="Runde 1")
    layer.focus()
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop = 400")
    top, scroll = page.evaluate(RADAR_TOP), page.evaluate(SCROLL)

    page.evaluate("() => window.__releaseRest()")
    wait_for_app(page, page.get_by_role("heading", name=REST))
    expect(page.get_by_text(HOLD)).to_have_count(0)
    expect(page.locator(".st-key-results-rest")).to_have_count(0)
    assert page.evaluate(RADAR_TOP) == top, "something above the radar moved when the rest came"
    assert page.evaluate(SCROLL) == scroll
    expect(layer).to_be_focused()
    assert page.evaluate("() => window.__restAsked") == 1  # once per first screen

    # Navigating away and back, and a reload: the whole page each time.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Maßnahmen", exact=True).click()
    wait_for_app(page, page.get_by_role("heading", name="Maßnahmen", exact=True))
    sidebar.get_by_role("link", name="Ergebnisse", exact=True).click()
    wait_for_app(page, page.get_by_role("heading", name=REST))
    assert page.evaluate("() => window.__restAsked") == 1  # not held again in this browser session
    page.reload()
    page.wait_for_function("() => window.__restAsked > 0")
    page.evaluate("() => window.__releaseRest()")
    wait_for_app(page, page.get_by_role("heading", name=REST))


def test_a_click_during_the_hold_gives_the_whole_page_with_the_choice(
    app_server: str, new_context: Callable[[], BrowserContext], demo_codes: dict[str, str], wait_for_app
) -> None:
    page = _held_demo(new_context, f"{app_server}/?code={demo_codes['analysis']}")
    layer = page.get_by_test_id("stButtonGroup").get_by_role("button", name="Runde 1")
    layer.click()  # before the page's own click reached the server
    wait_for_app(page, page.get_by_role("heading", name=REST))
    page.evaluate("() => window.__releaseRest()")  # the page's own click, late: its button is gone
    wait_for_app(page, page.get_by_role("heading", name=REST))
    expect(layer).to_have_attribute("aria-pressed", "true")
    names = page.evaluate(
        "() => document.querySelector('.st-key-results-radar .js-plotly-plot').data.map(t => t.name)"
    )
    assert "Runde 1" in names, names


def test_a_click_still_running_when_the_page_asks_for_the_rest_keeps_its_effect_and_message(
    app_server: str,
    app_db: Engine,
    app_workdir: Path,
    questionnaire: Questionnaire,
    new_context: Callable[[], BrowserContext],
    wait_for_app,
) -> None:
    # The user's click (joining a group) starts a run; the radar is drawn meanwhile and the page asks
    # for the rest. The page's request must not cut the user's run short: the join would be lost or
    # its confirmation wiped, as seen on a busy CI machine.
    migrate(app_db.url.render_as_string(hide_password=False))  # the app may not have run yet
    with session_factory(app_db)() as s:
        group = groups.create_group(s, questionnaire, GroupSpec("Workshop Rennweg", "Rennweg"))
        started = analyses.start_analysis(s, questionnaire, Profile("Technik-Treff", "Löt-AG"))
        rater_id = analyses.analysis_info(s, started.analysis_id).rater_id
        for sub in questionnaire.subcriteria:
            for statement in sub.statements:
                record_answer(s, questionnaire, started.analysis_id, rater_id, statement.id, "3")
    context = new_context()
    context.add_init_script(DEFER_REST)
    page = context.new_page()
    with page.expect_websocket() as opened:
        page.goto(f"{app_server}/?code={started.code}")
    socket = opened.value
    page.wait_for_function("() => window.__restAsked > 0")  # all answered: the results' first screen, held
    page.get_by_text("Gehören Sie zu einer Workshopgruppe? Hier beitreten").click()
    page.get_by_role("textbox", name="Gruppen-Code von Ihrer Moderation").fill(group.join_code)

    # A busy database keeps the user's run going until the page's own request has been sent.
    busy = sqlite3.connect(app_workdir / "db.sqlite3", isolation_level=None)
    try:
        busy.execute("BEGIN IMMEDIATE")
        page.get_by_role("button", name="Der Gruppe beitreten").click()
        expect(page.locator("[data-testid='stApp'][data-test-script-state='running']")).to_be_attached()
        with socket.expect_event("framesent"):
            page.evaluate("() => window.__releaseRest()")
    finally:
        busy.close()  # ends the write lock; the user's run goes on

    joined = page.get_by_text("Sie sind der Workshopgruppe „Workshop Rennweg“ beigetreten.")
    wait_for_app(page, joined, page.get_by_role("heading", name=REST))
    expect(joined).to_be_visible()  # still there once the page has settled
    with session_factory(app_db)() as s:
        member_of = groups.group_of_analysis(s, started.analysis_id)
    assert member_of is not None and member_of.id == group.group_id
