"""Two browser tabs with one login (two AppTests on one database) and the step in the address."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from mintqo.domain.profile import Profile
from mintqo.services import analyses, logins
from mintqo.services.answers import answers_of, notes_of
from mintqo.ui import state

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ELSEWHERE = "In einem anderen Fenster wurden Antworten oder Notizen geändert"


def _tab(token: str, step: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params[state.URL_TOKEN] = token
    if step is not None:
        at.query_params[state.URL_STEP] = step
    at.run()
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    return at


def _login(db, questionnaire, tabs: int = 2) -> tuple[int, list[str]]:
    with db() as s:
        aid = analyses.start_analysis(
            s, questionnaire, Profile("Schülerlabor Nord", "Robotik-AG")
        ).analysis_id
        return aid, [logins.open_login_session(s, aid, 1) for _ in range(tabs)]


def _warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def _heading(at: AppTest) -> str:
    return at.header[0].value


def test_an_answer_changed_in_another_tab_is_overwritten_with_a_notice(db, questionnaire, app_env):
    aid, (token_a, token_b) = _login(db, questionnaire)
    first, second = _tab(token_a), _tab(token_b)

    first.radio(key="assess.q.A1.1").set_value("3").run()
    first.radio(key="assess.q.A1.2").set_value("4").run()
    assert not first.warning  # own saves are no news

    second.radio(key="assess.q.A1.1").set_value("1").run()  # this tab still shows no answer
    assert (
        "Hinweis: Die Antwort zu A1.1 war inzwischen in einem anderen Fenster geändert worden "
        "(keine Antwort → eher zu). Gespeichert ist jetzt Ihre Auswahl (trifft nicht zu)."
    ) in _warnings(second)
    assert second.radio(key="assess.q.A1.1").value == "1"
    assert second.radio(key="assess.q.A1.2").value == "4"  # the other tab's answer, read afresh
    with db() as s:
        assert answers_of(s, aid, analyses.analysis_info(s, aid).rater_id) == {"A1.1": "1", "A1.2": "4"}

    first.run()  # the first tab's next run finds the change and says so once
    assert ELSEWHERE in _warnings(first)
    assert first.radio(key="assess.q.A1.1").value == "1"
    first.radio(key="assess.q.A1.3").set_value("2").run()
    assert not first.warning
    assert not first.exception and not second.exception


def test_a_note_changed_in_another_tab_is_overwritten_with_a_notice(db, questionnaire, app_env):
    aid, (token_a, token_b) = _login(db, questionnaire)
    first, second = _tab(token_a), _tab(token_b)
    first.text_area(key="assess.note.A1").input("Gespräch mit der Schulleitung").run()
    first.checkbox(key="assess.flag.A1").check().run()
    assert not first.warning

    second.text_area(key="assess.note.A1").input("Elternbefragung geplant").run()
    assert "Hinweis: Die Notiz zu A1 war inzwischen in einem anderen Fenster geändert worden." in _warnings(
        second
    )
    assert second.checkbox(key="assess.flag.A1").value is True  # read afresh with the run
    with db() as s:
        assert notes_of(s, aid)["A1"] == analyses.NoteState("Elternbefragung geplant", True)
    first.run()
    assert ELSEWHERE in _warnings(first)
    assert first.text_area(key="assess.note.A1").value == "Elternbefragung geplant"


def test_the_step_comes_from_the_address_and_a_wrong_one_is_explained(db, questionnaire, app_env):
    _, (token, other, third) = _login(db, questionnaire, tabs=3)
    at = _tab(token, step="A3")
    assert _heading(at).startswith("A3 ")
    at.button(key="assess.next").click().run()
    assert at.query_params[state.URL_STEP] == "A4"
    at.query_params[state.URL_STEP] = "A3"  # browser Back: the older address, a rerun
    at.run()
    assert _heading(at).startswith("A3 ")

    numbered = _tab(other, step="2")
    assert _heading(numbered).startswith("A2 ")

    wrong = _tab(third, step="<b>Z9</b>")
    assert "Einen Schritt „<b>Z9</b>“ gibt es nicht – Sie sehen Schritt A1." in " ".join(
        i.value for i in wrong.info
    ).replace("\\", "")
    assert _heading(wrong).startswith("A1 ")
    assert wrong.query_params[state.URL_STEP] == "A1"
    assert not wrong.exception
