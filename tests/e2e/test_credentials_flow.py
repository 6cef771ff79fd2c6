"""Credentials in a real browser: the projected presentation carries no facilitator token."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import Engine

from mintqo.db.engine import migrate, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import GroupSpec
from mintqo.services import groups, logins
from tests.support import tokens

pytestmark = pytest.mark.e2e

GROUP = "Workshop Leuchtturm"
RESERVED = "Diese Seite ist der Moderation vorbehalten"


def _param(page: Page, name: str) -> str | None:
    found = re.search(rf"[?&]{name}=([^&#]+)", page.url)
    return found.group(1) if found else None


def test_the_presentation_address_bar_holds_no_facilitator_credential(
    app_server: str,
    app_db: Engine,
    questionnaire: Questionnaire,
    new_context: Callable[[], BrowserContext],
    open_start: Callable[[], Page],
    wait_for_app: Callable[..., None],
) -> None:
    mod = open_start()
    migrate(app_db.url.render_as_string(hide_password=False))  # idempotent; the app migrates lazily
    with session_factory(app_db)() as s:
        created = groups.create_group(s, questionnaire, GroupSpec(GROUP, "Küste", k=3))
    mod.get_by_role("link", name="Moderation").click()
    wait_for_app(mod, mod.get_by_role("heading", name="Moderation von Workshopgruppen"))
    mod.get_by_role("textbox", name="Moderationscode").fill(created.facilitator_code)
    mod.get_by_role("button", name="Anmelden").click()
    wait_for_app(mod, mod.get_by_role("heading", name=GROUP))
    expect(mod).to_have_url(re.compile(r"[?&]sitzung="))
    facilitator_token = _param(mod, "sitzung")

    # --- The presentation: the address bar (on the projector) holds only a presenter token ---
    mod.get_by_role("link", name="Präsentation").click()
    counter = mod.locator(".slide-counter")
    wait_for_app(mod, counter.filter(has_text="Folie 1 / 20"))
    expect(mod).to_have_url(re.compile(r"/praesentation\?(.*&)?praesentation="))
    assert "sitzung=" not in mod.url, mod.url
    assert facilitator_token not in mod.url
    presenter = _param(mod, "praesentation")
    assert presenter
    with session_factory(app_db)() as s:
        assert tokens.group_of(s, presenter) is None  # no dashboard, codes or release
        assert logins.presenter_group(s, presenter) == created.group_id

    # A reload keeps the presentation, still without the facilitator's token.
    mod.reload()
    wait_for_app(mod, counter.filter(has_text="Folie 1 / 20"))
    assert "sitzung=" not in mod.url, mod.url

    # Someone who photographed the projected address gets the slides, not the dashboard.
    copied = new_context().new_page()
    copied.goto(mod.url)
    wait_for_app(copied, copied.locator(".slide-counter").filter(has_text="Folie 1 / 20"))
    copied.goto(mod.url.replace("/praesentation", "/gruppe"))
    wait_for_app(copied, copied.get_by_text(RESERVED))
    expect(copied.get_by_role("heading", name=GROUP)).to_have_count(0)

    # --- Ending the presentation ends the presenter token -------------------------------------
    # After the reload this tab held only the presenter token, so it ends on the login page.
    mod.get_by_role("button", name="Beenden").click()
    wait_for_app(mod, mod.get_by_role("heading", name="Moderation von Workshopgruppen"))
    assert "sitzung=" not in mod.url and "praesentation=" not in mod.url, mod.url
    copied.goto(f"{app_server}/praesentation?praesentation={presenter}")
    wait_for_app(copied, copied.get_by_text(RESERVED))
    expect(copied.locator(".slide-counter")).to_have_count(0)
