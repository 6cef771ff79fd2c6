"""Browser Back/Forward move between walkthrough steps; two tabs with one login are told of each other."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine

from mintqo.config import Settings
from mintqo.db.engine import migrate, session_factory
from mintqo.domain.profile import Profile
from mintqo.questionnaire_files import get_edition
from mintqo.services import analyses

pytestmark = pytest.mark.e2e


def _code(app_db: Engine) -> str:
    q = get_edition(Settings().questionnaire_dir, Settings().default_edition)
    migrate(app_db.url.render_as_string(hide_password=False))  # as the app does on its first run
    with session_factory(app_db)() as s:
        return analyses.start_analysis(s, q, Profile("Schülerlabor Nord", "Robotik-AG")).code


def _heading(page: Page, name: str):
    return page.get_by_role("heading", name=name, exact=True)


def _group(page: Page, statement_id: str):
    return page.get_by_role("radiogroup", name=re.compile(rf"^\W*{re.escape(statement_id)}\b"))


def _radio(page: Page, statement_id: str, option: str):
    return _group(page, statement_id).get_by_role("radio", name=option, exact=True)


def _choose(page: Page, statement_id: str, option: str) -> None:
    _group(page, statement_id).get_by_text(option, exact=True).click()


def test_back_and_forward_move_between_steps_and_a_reload_stays(
    app_server: str, app_db: Engine, page: Page, wait_for_app: Callable[..., None]
) -> None:
    page.goto(f"{app_server}/?code={_code(app_db)}")
    wait_for_app(page, _heading(page, "A1 Bedarf und Ausgangslage"))
    for name in ("A2 Zielgruppen", "A3 Ziele und Wirkungslogik"):
        page.get_by_role("button", name="Weiter →").click()
        wait_for_app(page, _heading(page, name))
    expect(page).to_have_url(re.compile(r"[?&]schritt=A3\b"))

    page.go_back()
    wait_for_app(page, _heading(page, "A2 Zielgruppen"))
    page.go_back()
    wait_for_app(page, _heading(page, "A1 Bedarf und Ausgangslage"))
    page.go_forward()
    wait_for_app(page, _heading(page, "A2 Zielgruppen"))
    expect(page).to_have_url(re.compile(r"[?&]schritt=A2\b"))
    page.reload()
    wait_for_app(page, _heading(page, "A2 Zielgruppen"))


def test_a_second_tab_overwriting_an_answer_is_told_so(
    app_server: str,
    app_db: Engine,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    code = _code(app_db)
    context = new_context()
    first = context.new_page()
    first.goto(f"{app_server}/?code={code}")
    wait_for_app(first, _heading(first, "A1 Bedarf und Ausgangslage"))
    second = context.new_page()
    second.goto(f"{app_server}/?code={code}")  # the same code in a second tab
    wait_for_app(second, _heading(second, "A1 Bedarf und Ausgangslage"))

    _choose(first, "A1.1", "eher zu")
    wait_for_app(first, first.get_by_text("1 von 60 Aussagen beantwortet", exact=True))
    _choose(second, "A1.1", "trifft voll zu")
    wait_for_app(
        second,
        second.get_by_text(
            "Hinweis: Die Antwort zu A1.1 war inzwischen in einem anderen Fenster geändert worden "
            "(keine Antwort → eher zu). Gespeichert ist jetzt Ihre Auswahl (trifft voll zu)."
        ),
    )
    expect(_radio(second, "A1.1", "trifft voll zu")).to_be_checked()

    _choose(first, "A1.2", "eher nicht")
    wait_for_app(first, first.get_by_text("In einem anderen Fenster wurden Antworten oder Notizen geändert"))
    expect(_radio(first, "A1.1", "trifft voll zu")).to_be_checked()
