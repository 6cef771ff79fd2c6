"""A failed save is visibly not saved, the screen shows what the database holds, and retrying works."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url
from streamlit.testing.v1 import AppTest

from mintqo.db.engine import make_engine, session_factory
from mintqo.domain.profile import Profile
from mintqo.services import analyses, logins, team
from mintqo.services.answers import answers_of, notes_of, record_answer
from mintqo.ui import state

START_BUTTON = "FormSubmitter:start.new-Selbstanalyse starten"


def _stored(settings, analysis_id: int) -> tuple[dict[str, str], dict[str, analyses.NoteState]]:
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as s:
        info = analyses.analysis_info(s, analysis_id)
        result = answers_of(s, analysis_id, info.rater_id), notes_of(s, analysis_id)
    engine.dispose()
    return result


def _set_status(settings, analysis_id: int, submit: bool) -> None:
    """What another browser tab of the same team does: submit or reopen the analysis."""
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as s:
        (analyses.submit if submit else analyses.reopen)(s, analysis_id)
    engine.dispose()


def _open_walkthrough(at: AppTest) -> int:
    at.run()
    at.text_input(key="start.initiative").input("MINT-Werkstatt Süd")
    at.text_input(key="start.project").input("Ferienkurs Elektronik")
    at.button(key=START_BUTTON).click().run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    return at.session_state[state.ANALYSIS_ID]


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def _captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_an_answer_refused_by_a_submission_elsewhere_reverts_and_a_retry_stores_it(at, app_env):
    analysis_id = _open_walkthrough(at)
    assert "Alle Antworten werden sofort gespeichert." in _captions(at)
    at.radio(key="assess.q.A1.1").set_value("3").run()
    assert "Alle Antworten gespeichert ·" in _captions(at)
    _set_status(app_env, analysis_id, submit=True)  # another tab submits meanwhile

    at.radio(key="assess.q.A1.1").set_value("1").run()
    assert "Nicht gespeichert (A1.1)" in _errors(at)
    assert "abgeschlossen" in _errors(at)
    assert at.radio(key="assess.q.A1.1").value == "3"  # the stored answer, not the click
    assert _stored(app_env, analysis_id)[0] == {"A1.1": "3"}

    _set_status(app_env, analysis_id, submit=False)
    at.run()
    at.radio(key="assess.q.A1.1").set_value("1").run()  # choosing the same option again
    assert not at.error
    assert at.radio(key="assess.q.A1.1").value == "1"
    assert _stored(app_env, analysis_id)[0] == {"A1.1": "1"}
    assert not at.exception


@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
def test_saves_while_the_database_is_locked_are_marked_and_retried(at, app_env, monkeypatch):
    # The app's engine waits this long for the lock before the save fails (10 s by default).
    monkeypatch.setenv("MINTQO_SQLITE_BUSY_TIMEOUT_MS", "700")
    analysis_id = _open_walkthrough(at)
    at.radio(key="assess.q.A1.2").set_value("4").run()
    blocker = sqlite3.connect(make_url(app_env.database_url).database, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock beyond the busy timeout
    try:
        at.radio(key="assess.q.A1.1").set_value("2").run()
        assert "Nicht gespeichert (A1.1)" in _errors(at)
        assert "Die Datenbank ist gerade nicht erreichbar (Referenz " in _errors(at)
        assert at.radio(key="assess.q.A1.1").value is None  # not shown as selected
        assert at.radio(key="assess.q.A1.2").value == "4"

        at.text_area(key="assess.note.A1").input("Gespräch mit der Schulleitung").run()
        assert "Notiz nicht gespeichert" in _errors(at)
        assert at.text_area(key="assess.note.A1").value == "Gespräch mit der Schulleitung"  # text kept
        assert "Die Notiz ist noch nicht gespeichert." in _captions(at)
        assert at.button(key="assess.retry_note.A1").label == "Erneut speichern"
    finally:
        blocker.rollback()
        blocker.close()
    assert _stored(app_env, analysis_id) == ({"A1.2": "4"}, {})

    at.radio(key="assess.q.A1.1").set_value("2").run()
    at.button(key="assess.retry_note.A1").click().run()
    assert not at.error
    assert not [b for b in at.button if b.key == "assess.retry_note.A1"]
    assert "Alle Antworten gespeichert ·" in _captions(at)
    answers, notes = _stored(app_env, analysis_id)
    assert answers == {"A1.1": "2", "A1.2": "4"}
    assert notes["A1"] == analyses.NoteState("Gespräch mit der Schulleitung", False)
    assert not at.exception


def test_an_agreed_value_refused_after_submission_elsewhere_is_not_shown_as_agreed(at, db, questionnaire):
    q = questionnaire
    with db() as s:
        started = analyses.start_analysis(s, q, Profile(initiative="Schülerlabor Nord", project="Robotik-AG"))
        aid = started.analysis_id
        alex = team.member(s, aid, "Alex")
        record_answer(s, q, aid, alex, "A1.1", "4")
        record_answer(s, q, aid, team.member(s, aid, "Bea"), "A1.1", "dk")
        team.agree(s, q, aid, "A1.1", "3", "vorläufig")
        token = logins.open_login_session(s, aid, 1, alex)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    at.switch_page("pages/team.py").run()
    at.selectbox(key="team.value.A1.1").set_value("1")
    with db() as s:
        analyses.submit(s, aid)  # another tab submits while this form is open
    at.button(key="team.save.A1.1").click().run()
    assert "Nicht gespeichert (A1.1)" in _errors(at) and "abgeschlossen" in _errors(at)
    with db() as s:
        assert team.counting_answers(s, q, aid)["A1.1"] == "3"
        analyses.reopen(s, aid)
    at.run()
    assert at.selectbox(key="team.value.A1.1").value == "3"  # the stored value, not the refused one
    at.selectbox(key="team.value.A1.1").set_value("1")
    at.button(key="team.save.A1.1").click().run()
    assert not at.error and not at.exception
    with db() as s:
        assert team.counting_answers(s, q, aid)["A1.1"] == "1"
