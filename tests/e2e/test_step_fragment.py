"""A click in a walkthrough step reruns only the step (a fragment), and the page around it still
follows: the step list's mark, a submission or a logout made elsewhere, and what is stored."""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, select
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from mintqo.config import Settings
from mintqo.db.engine import migrate, session_factory
from mintqo.db.models import Answer
from mintqo.domain.profile import Profile
from mintqo.questionnaire_files import get_edition
from mintqo.services import analyses, logins
from tests.support.browser_tab import close_page_not_found

pytestmark = pytest.mark.e2e

# Before the app loads: keep every websocket message the page receives (base64), to see what a
# click made the server send.
_KEEP_MESSAGES = """(() => {
  const Native = window.WebSocket;
  window.__received = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.binaryType = 'arraybuffer';
      this.addEventListener('message', e => {
        let s = '';
        for (const c of new Uint8Array(e.data)) s += String.fromCharCode(c);
        window.__received.push(btoa(s));
      });
    }
  };
})();"""
SIDEBAR = 1  # the first index of an element's delta path: 0 main area, 1 sidebar


def _sent_since_mark(page: Page) -> list[ForwardMsg]:
    messages = []
    for raw in page.evaluate("() => window.__received.splice(0)"):
        msg = ForwardMsg()
        msg.ParseFromString(base64.b64decode(raw))
        messages.append(msg)
    return messages


def _until_run_finished(page: Page, timeout_s: float = 30) -> list[ForwardMsg]:
    """The messages up to the end of the run a click started (a run ended early for st.rerun() does
    not count: the whole page's run follows). Polls the kept messages until then."""
    done = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
    got: list[ForwardMsg] = []
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got += _sent_since_mark(page)
        if any(m.WhichOneof("type") == "script_finished" and m.script_finished in done for m in got):
            return got
        page.wait_for_timeout(50)  # the next poll of the messages, not a wait for the app
    raise AssertionError(f"no finished run within {timeout_s} s after the click")


def _sidebar_deltas(messages: list[ForwardMsg]) -> int:
    return sum(
        1
        for m in messages
        if m.WhichOneof("type") == "delta" and list(m.metadata.delta_path)[:1] == [SIDEBAR]
    )


def _radio_paths(messages: list[ForwardMsg], statement_id: str) -> list[list[int]]:
    """Where on the page the messages drew the statement's radio group (its delta paths)."""
    return [
        list(m.metadata.delta_path)
        for m in messages
        if m.WhichOneof("type") == "delta"
        and m.delta.WhichOneof("type") == "new_element"
        and m.delta.new_element.WhichOneof("type") == "radio"
        and statement_id in m.delta.new_element.radio.label
    ]


def _stored(engine: Engine, analysis_id: int) -> dict[str, str]:
    with session_factory(engine)() as s:
        rows = s.execute(select(Answer.statement_id, Answer.value).where(Answer.analysis_id == analysis_id))
        return {statement_id: value for statement_id, value in rows}


def test_a_click_reruns_the_step_and_the_page_around_it_follows(
    app_server: str, app_db: Engine, page: Page, wait_for_app: Callable[..., None]
) -> None:
    settings = Settings.from_env()
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    migrate(app_db.url.render_as_string(hide_password=False))  # the app may not have run yet
    with session_factory(app_db)() as s:
        started = analyses.start_analysis(s, q, Profile("Initiative Fragment", "Projekt Schritt", "Süd"))
        info = analyses.analysis_info(s, started.analysis_id)
        token = logins.open_login_session(s, info.analysis_id, hours=2)
    aid = info.analysis_id
    page.add_init_script(_KEEP_MESSAGES)
    page.goto(f"{app_server}/durchfuehrung?sitzung={token}&schritt=A1")
    wait_for_app(page, page.get_by_role("heading", name="A1 Bedarf und Ausgangslage"))
    close_page_not_found(page)
    steps = page.locator(".st-key-assess-steps")
    saved = page.get_by_text(re.compile(r"Alle Antworten gespeichert · \d\d:\d\d"))

    def click(statement_id: str, option: str) -> list[ForwardMsg]:
        _sent_since_mark(page)
        group = page.get_by_role("radiogroup", name=re.compile(rf"^\W*{re.escape(statement_id)}\b"))
        group.get_by_text(option, exact=True).click()
        sent = _until_run_finished(page)
        expect(group.get_by_role("radio", name=option, exact=True)).to_be_checked()
        wait_for_app(page, saved)
        return sent + _sent_since_mark(page)

    # The first answer of a step changes its mark in the step list: the whole page runs.
    first = click("A1.1", "eher zu")
    expect(steps.get_by_text("◐ A1 Bedarf und Ausgangslage (aktueller Schritt)")).to_have_count(1)
    assert _sidebar_deltas(first) > 0
    assert _stored(app_db, aid) == {"A1.1": "3"}

    # Further answers only rerun the step: nothing of the sidebar is sent again.
    for statement_id, option in (("A1.2", "eher nicht"), ("A1.1", "trifft voll zu"), ("A1.3", "weiß nicht")):
        sent = click(statement_id, option)
        assert any(m.WhichOneof("type") == "delta" for m in sent), "the step was not drawn again"
        assert _sidebar_deltas(sent) == 0
    wait_for_app(page, page.get_by_text("3 von 60 Aussagen beantwortet"))
    assert _stored(app_db, aid) == {"A1.1": "4", "A1.2": "2", "A1.3": "dk"}

    # The step's last answer completes it: the mark turns to ✓ at once, without leaving the step.
    click("A1.4", "trifft nicht zu")
    expect(steps.get_by_text("✓ A1 Bedarf und Ausgangslage (aktueller Schritt)")).to_have_count(1)

    # "Weiter", then the new step's first answer: two whole-page runs in a row. The step keeps its
    # place on the page between them; had it moved, the old step would stay beside the new one until
    # the run ends (a duplicate of every statement on screen for a moment).
    _sent_since_mark(page)
    page.get_by_role("button", name="Weiter →").click()
    entered = _until_run_finished(page)
    wait_for_app(page, page.get_by_role("heading", name="A2 Zielgruppen"))
    first_in_a2 = click("A2.1", "eher zu")
    assert _sidebar_deltas(first_in_a2) > 0
    assert _radio_paths(entered, "A2.1") == _radio_paths(first_in_a2, "A2.1") != []

    # Submitted in another window: the next click is refused, and the page says why.
    with session_factory(app_db)() as s:
        analyses.submit(s, aid)
    group = page.get_by_role("radiogroup", name=re.compile(r"^\W*A2\.1\b"))
    group.get_by_text("trifft voll zu", exact=True).click()
    refused = page.get_by_text("Nicht gespeichert (A2.1):", exact=False)
    closed = page.get_by_test_id("stAlertContentInfo").filter(has_text="Selbstanalyse ist abgeschlossen")
    wait_for_app(page, refused, closed)
    expect(group.get_by_role("radio", name="eher zu", exact=True)).to_be_checked()
    expect(group.get_by_role("radio", name="trifft voll zu", exact=True)).not_to_be_checked()
    assert _stored(app_db, aid)["A2.1"] == "3"

    # Logged out elsewhere (e.g. "Alle Sitzungen abmelden"): the next click in the step logs this tab
    # out too, instead of going on as if nothing happened.
    with session_factory(app_db)() as s:
        analyses.reopen(s, aid)
    page.reload()
    wait_for_app(page, page.get_by_role("heading", name="A2 Zielgruppen"))
    with session_factory(app_db)() as s:
        logins.logout_project(s, info.project_id)
    page.get_by_role("radiogroup", name=re.compile(r"^\W*A2\.3\b")).get_by_text("eher zu", exact=True).click()
    wait_for_app(page, page.get_by_text("Sie wurden abgemeldet", exact=False).first)
    expect(page.get_by_role("radiogroup")).to_have_count(0)
