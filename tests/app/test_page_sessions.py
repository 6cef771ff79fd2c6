"""Pages read their data in one database session per run (plus app.py's one for the login), and a
walkthrough click saves in one transaction: counted by SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from mintqo.domain.profile import Profile
from mintqo.services import analyses, groups, logins
from mintqo.services.demo import create_demo, create_demo_group
from mintqo.ui import state
from tests.support.app_pages import facilitator_login, results_rest

# app.py reads the login once per run: the token check and the open analysis (or group), one session.
APP_SESSIONS = 1


@contextmanager
def _counted(target: type, name: str) -> Iterator[list[int]]:
    """Collects one entry per `name` event of `target` while the block runs."""
    begun: list[int] = []

    def count(first: object, *_: object) -> None:
        begun.append(id(first))

    event.listen(target, name, count)
    try:
        yield begun
    finally:
        event.remove(target, name, count)


def sessions_begun() -> AbstractContextManager[list[int]]:
    """One entry per database transaction any Session begins (a short session: one)."""
    return _counted(Session, "after_begin")


def transactions_begun() -> AbstractContextManager[list[int]]:
    """One entry per transaction any connection begins: Sessions' and Core ones (autosave)."""
    return _counted(Engine, "begin")


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
    results_rest(at.switch_page("pages/results.py").run())
    assert not at.exception
    assert at.title[0].value == "Ihre Ergebnisse"
    texts = "\n".join(m.value for m in at.markdown)
    assert "Sie sind hier" in texts  # the presenting group's box, drawn from the same read
    assert any("Was hat sich verändert?" in h.value for h in at.subheader)  # the earlier round
    with sessions_begun() as begun:
        at.run()
    assert not at.exception
    assert "Sie sind hier" in "\n".join(m.value for m in at.markdown)
    assert 1 <= len(begun) <= APP_SESSIONS + 1, f"{len(begun)} sessions in one run of the results page"


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
    assert 1 <= len(begun) <= APP_SESSIONS + 1, f"{len(begun)} database sessions in one run of the dashboard"


def test_a_click_in_the_walkthrough_saves_in_one_transaction_and_reruns_in_two_sessions(
    at: AppTest, db, questionnaire
):
    with db() as s:
        started = analyses.start_analysis(s, questionnaire, Profile("MINT-Werkstatt", "Ferienkurs"))
        token = logins.open_login_session(s, started.analysis_id, 1)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    with sessions_begun() as begun:
        at.run()
    assert not at.exception
    assert 1 <= len(begun) <= APP_SESSIONS + 1, f"{len(begun)} sessions in one run of the walkthrough"
    radio = at.radio(key="assess.q.A1.1")
    choice = "3"
    with sessions_begun() as begun, transactions_begun() as transactions:
        radio.set_value(choice).run()
    assert not at.exception
    assert at.radio(key="assess.q.A1.1").value == choice  # saved, and read back from the database
    assert "Nicht gespeichert" not in " ".join(e.value for e in at.error)
    # The save: one Core transaction (read of the stored answer and the guarded upsert); the rerun: two.
    assert 1 <= len(begun) <= APP_SESSIONS + 1, f"{len(begun)} database sessions in one click"
    assert 1 <= len(transactions) <= APP_SESSIONS + 2, f"{len(transactions)} transactions in one click"
