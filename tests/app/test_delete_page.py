"""The page "Daten löschen" through app.py: confirmation step, then the data and the login are gone."""

from __future__ import annotations

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from mintqo.db.models import Analysis, Answer, Project
from mintqo.domain.plaintext import md
from mintqo.domain.profile import Profile
from mintqo.services import analyses, logins
from mintqo.services.answers import record_answer
from mintqo.ui import state

CONFIRM = "FormSubmitter:delete.confirm-Endgültig löschen"


def _open_project(at: AppTest, db, q) -> analyses.Started:
    with db() as s:
        started = analyses.start_analysis(s, q, Profile(initiative="Schülerlabor Nord", project="Robotik-AG"))
        info = analyses.analysis_info(s, started.analysis_id)
        record_answer(s, q, info.analysis_id, info.rater_id, "A1.1", "3")
        token = logins.open_login_session(s, started.analysis_id, 1)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    at.switch_page("pages/delete.py").run()
    assert not at.exception
    return started


def _count(db, model) -> int:
    with db() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_wrong_confirmation_deletes_nothing(at, db, questionnaire):
    _open_project(at, db, questionnaire)
    assert at.title[0].value == "Daten löschen"
    assert at.radio(key="delete.kind").options == [md("Projekt „Robotik-AG“ löschen")]  # user text: escaped
    at.text_input(key="delete.typed").input("Robotik")
    at.button(key=CONFIRM).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        f"Die Eingabe stimmt nicht mit „{md('Robotik-AG')}“ überein – es wurde nichts gelöscht."
    ]
    assert (_count(db, Project), _count(db, Answer)) == (1, 1)


def test_deleting_the_project_logs_out_and_the_code_no_longer_opens_it(at, db, questionnaire):
    started = _open_project(at, db, questionnaire)
    at.text_input(key="delete.typed").input("robotik-ag")
    at.button(key=CONFIRM).click().run()
    assert not at.exception
    assert (_count(db, Project), _count(db, Analysis), _count(db, Answer)) == (0, 0, 0)
    assert [s.value for s in at.success] == [
        md("Gelöscht: das Projekt „Robotik-AG“ (1 Runde), mit allen Antworten, Notizen und Maßnahmen.")
    ]
    assert state.ANALYSIS_ID not in at.session_state
    at.switch_page("pages/start.py").run()  # AppTest's page choice is sticky
    at.text_input(key="start.code").input(started.code)
    at.button(key="FormSubmitter:start.resume-Fortsetzen").click().run()
    assert [e.value for e in at.error] == [
        "Dieser Zugangscode ist uns nicht bekannt. Bitte prüfen Sie die Schreibweise "
        "(16 Zeichen, z. B. K7QM-3XHD-PW9A-TRC2)."
    ]
