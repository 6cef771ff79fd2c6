"""Results page and dashboard read their data in one database session per run, counted by SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from mintqo.services import groups, logins
from mintqo.services.demo import create_demo, create_demo_group
from mintqo.ui import state
from tests.support.app_pages import facilitator_login

# app.py reads the login once per run: the token check and the open analysis (or group).
APP_SESSIONS = 2


@contextmanager
def sessions_begun() -> Iterator[list[int]]:
    """Collects one entry per database transaction any Session begins (a short session: one)."""
    begun: list[int] = []

    def count(session: Session, transaction: object, connection: object) -> None:
        begun.append(id(session))

    event.listen(Session, "after_begin", count)
    try:
        yield begun
    finally:
        event.remove(Session, "after_begin", count)


def _demo(db, questionnaire, *, presenting: bool):  # type: ignore[no-untyped-def]
    """The demo project (round 2, measures, team) in the demo group with releases of two rounds."""
    with db() as s:
        started = create_demo(s, questionnaire)
        demo_group = create_demo_group(s, questionnaire, started)
        if presenting:
            groups.set_presentation(s, demo_group.group_id, presenting=True, slide=0)
        token = logins.open_login_session(s, logins.resume_with_code(s, started.code), 1)
    return demo_group, token


def test_results_page_reads_everything_in_one_session(at: AppTest, db, questionnaire):
    _, token = _demo(db, questionnaire, presenting=True)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert at.title[0].value == "Ihre Ergebnisse"
    texts = "\n".join(m.value for m in at.markdown)
    assert "Sie sind hier" in texts  # the presenting group's box, drawn from the same read
    assert any("Was hat sich verändert?" in h.value for h in at.subheader)  # the earlier round
    with sessions_begun() as begun:
        at.run()
    assert not at.exception
    assert "Sie sind hier" in "\n".join(m.value for m in at.markdown)
    assert len(begun) <= APP_SESSIONS + 1, f"{len(begun)} database sessions in one run of the results page"


def test_dashboard_reads_everything_in_one_session(at: AppTest, db, questionnaire):
    demo_group, _ = _demo(db, questionnaire, presenting=False)
    facilitator_login(at, demo_group.facilitator_code)
    at.switch_page("pages/dashboard.py").run()
    assert not at.exception
    assert any("Teil 3" in h.value for h in at.subheader)  # round 2 against round 1
    with sessions_begun() as begun:
        at.run()
    assert not at.exception
    assert any("Teil 3" in h.value for h in at.subheader)
    assert len(begun) <= APP_SESSIONS + 1, f"{len(begun)} database sessions in one run of the dashboard"
