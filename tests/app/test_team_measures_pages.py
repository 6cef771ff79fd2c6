"""Team rating and measures pages through app.py with AppTest."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from mintqo.db.models import Measure
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.services import analyses, demo, logins, measures, team
from mintqo.services.answers import answers_of, record_answer, save_note
from mintqo.ui import state
from tests.support.app_pages import goto as _goto
from tests.support.app_pages import results_rest

RESUME_BUTTON = "FormSubmitter:start.resume-Fortsetzen"
MEASURE_BUTTON = "FormSubmitter:measures.new-Maßnahme speichern"
WHAT_MISSING = "Bitte beschreiben Sie kurz, was Sie tun wollen (mindestens 3 Zeichen)."
SUB_MISSING = "Bitte wählen Sie das Unterkriterium, zu dem die Maßnahme gehört."
TIMEOUT = 60
NAME_TOO_SHORT = "Bitte geben Sie Ihren Vornamen oder ein Kürzel an (mindestens 2 Zeichen)."


def _project(db, q) -> analyses.Started:
    with db() as s:
        return analyses.start_analysis(s, q, Profile(initiative="Schülerlabor Nord", project="Robotik-AG"))


def _member(db, q, analysis_id: int, name: str, answers: dict[str, str]) -> int:
    with db() as s:
        rater_id = team.member(s, analysis_id, name)
        for sid, value in answers.items():
            record_answer(s, q, analysis_id, rater_id, sid, value)
    return rater_id


def _open(at: AppTest, db, analysis_id: int, rater_id: int | None, page: str) -> AppTest:
    """Open an analysis as a member the way a reload does: a session token in the URL."""
    with db() as s:
        token = logins.open_login_session(s, analysis_id, 1, rater_id)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    _goto(at, page)
    assert not at.exception
    return results_rest(at)


def _sidebar_captions(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def _score(at: AppTest, sub_id: str) -> str:
    table = next(t.value for t in at.table if "Id" in t.value.columns)  # not a chart's table twin
    return table.loc[table["Id"] == sub_id, "Wert (1–4)"].iloc[0]


# --- joining as a named member -------------------------------------------------------------------------


def test_resume_with_code_and_name_opens_the_analysis_as_that_member(at, db, questionnaire):
    q = questionnaire
    started = _project(db, q)
    aid = started.analysis_id
    at.run()
    at.text_input(key="start.code").input(started.code)
    at.button(key=RESUME_BUTTON).click().run()
    assert not at.exception
    assert at.session_state[state.RATER_ID] is None
    _goto(at, "pages/assess.py")
    captions = _sidebar_captions(at)
    assert "Geöffnete Selbstanalyse" in captions
    assert not any("Sie bewerten als" in c for c in captions)  # one person: exactly as before

    bea = _member(db, q, aid, "Bea", {"A1.1": "1"})
    fresh = AppTest.from_file(at._script_path, default_timeout=TIMEOUT)
    fresh.run()
    fresh.text_input(key="start.code").input(started.code.lower())
    fresh.text_input(key="start.rater_name").input("  Alex ")
    fresh.button(key=RESUME_BUTTON).click().run()
    assert not fresh.exception and not fresh.error
    with db() as s:
        alex = team.member(s, aid, "Alex")
        assert analyses.analysis_info(s, aid).members == 3
    assert fresh.session_state[state.ANALYSIS_ID] == aid
    assert fresh.session_state[state.RATER_ID] == alex
    _goto(fresh, "pages/assess.py")
    assert not fresh.exception
    assert "Sie bewerten als Alex (3 im Team)" in _sidebar_captions(fresh)
    # Alex sees only Alex's own answers while rating, and rates for Alex only.
    assert fresh.radio(key="assess.q.A1.1").value is None
    fresh.radio(key="assess.q.A1.1").set_value("4").run()
    with db() as s:
        assert answers_of(s, aid, alex) == {"A1.1": "4"}
        assert answers_of(s, aid, bea) == {"A1.1": "1"}
        assert answers_of(s, aid, analyses.analysis_info(s, aid).rater_id) == {}  # "Team"

    # A reload (the token in the URL) keeps Alex as the member.
    reload = AppTest.from_file(at._script_path, default_timeout=TIMEOUT)
    reload.query_params[state.URL_TOKEN] = fresh.session_state[state.TOKEN]
    reload.run()
    assert reload.session_state[state.RATER_ID] == alex
    _goto(reload, "pages/assess.py")
    assert reload.radio(key="assess.q.A1.1").value == "4"


def test_a_bad_member_name_gets_a_german_message_and_opens_nothing(at, db, questionnaire):
    started = _project(db, questionnaire)
    at.run()
    at.text_input(key="start.code").input(started.code)
    at.text_input(key="start.rater_name").input("A")
    at.button(key=RESUME_BUTTON).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Bitte geben Sie Ihren Vornamen oder ein Kürzel an (mindestens 2 Zeichen)."
    ]
    assert state.ANALYSIS_ID not in at.session_state
    with db() as s:
        assert analyses.analysis_info(s, started.analysis_id).team_size == 1


# --- team page -----------------------------------------------------------------------------------------


def test_team_page_with_a_single_rater_explains_how_to_invite(at, db, questionnaire):
    started = _project(db, questionnaire)
    _open(at, db, started.analysis_id, None, "pages/team.py")
    assert at.title[0].value == "Team-Abgleich"
    assert "Bisher bewertet nur eine Person" in at.info[0].value
    assert "denselben Zugangscode und ihren Namen" in at.info[0].value
    assert not at.toggle
    assert not [b for b in at.button if b.key and b.key.startswith("team.save.")]


def test_team_page_shows_divergence_and_records_an_agreed_value(at, db, questionnaire):
    q = questionnaire
    started = _project(db, q)
    aid = started.analysis_id
    alex = _member(db, q, aid, "Alex", {"A1.1": "4", "A1.2": "4", "A1.3": "3"})
    bea = _member(db, q, aid, "Bea", {"A1.1": "1", "A1.2": "4", "A1.3": "2"})

    _open(at, db, aid, alex, "pages/results.py")
    assert _score(at, "A1") == "2,3"  # lower middle values count: (1 + 4 + 2) / 3
    assert any("2 Personen haben bewertet" in c.value for c in at.caption)

    _goto(at, "pages/team.py")
    assert at.title[0].value == "Team-Abgleich"
    text = _markdown(at)
    assert "Sie bewerten als **Alex**" in text
    assert "**Alex** (3 Aussagen)" in text and "**Bea** (3 Aussagen)" in text
    assert "weicht ab" in text
    toggle = at.toggle(key="team.only_divergent")
    assert toggle.value is True
    assert toggle.label == "Nur abweichende Aussagen zeigen (1 offen · 0 vereinbart)"
    # Only the divergent statement has a form; its row shows both members and the counting value.
    assert [b.key for b in at.button if b.key and b.key.startswith("team.save.")] == ["team.save.A1.1"]
    row = next(m.value for m in at.markdown if "weicht ab" in m.value)
    assert "Alex:" in row and "Bea:" in row
    assert any("Ohne vereinbarten Wert zählt: trifft nicht zu" in c.value for c in at.caption)

    at.selectbox(key="team.value.A1.1").set_value("4")
    at.text_input(key="team.reason.A1.1").input("Evaluation liegt vor")
    at.button(key="team.save.A1.1").click().run()
    assert not at.exception and not at.error
    with db() as s:
        view = team.team_view(s, q, aid)
        a11 = next(r for r in view.statements if r.statement_id == "A1.1")
        assert (a11.agreed, a11.reason) == ("4", "Evaluation liegt vor")
        assert answers_of(s, aid, bea)["A1.1"] == "1"  # members' own answers stay
    assert "Vereinbart:" in _markdown(at) and "Evaluation liegt vor" in _markdown(at)
    # Agreed counts as agreed: no "weicht ab" any more, and the counter moves.
    assert "weicht ab" not in _markdown(at) and ":green-badge[vereinbart]" in _markdown(at)
    assert (
        at.toggle(key="team.only_divergent").label
        == "Nur abweichende Aussagen zeigen (0 offen · 1 vereinbart)"
    )

    results_rest(_goto(at, "pages/results.py"))
    assert not at.exception
    assert _score(at, "A1") == "3,3"  # (4 + 4 + 2) / 3

    # All statements: the toggle off shows every statement with a form.
    _goto(at, "pages/team.py")
    at.toggle(key="team.only_divergent").set_value(False).run()
    assert len([b for b in at.button if b.key and b.key.startswith("team.save.")]) == q.statement_count


def test_the_first_person_names_themselves_and_can_rename(at, db, questionnaire):
    q = questionnaire
    started = _project(db, q)
    aid = started.analysis_id
    _open(at, db, aid, None, "pages/team.py")  # the person who started: still "Team"
    assert any("Wie heißen Sie?" in m.value for m in at.markdown)
    at.text_input(key="team.name").input("Alex")
    at.button(key="FormSubmitter:team.name_form-Namen speichern").click().run()
    assert not at.exception and not at.error
    assert "Sie bewerten als **Alex**" in _markdown(at)
    assert not any("Wie heißen Sie?" in m.value for m in at.markdown)
    _member(db, q, aid, "Bea", {"A1.1": "2"})
    with db() as s:
        assert list(team.team_view(s, q, aid).raters.values()) == ["Alex", "Bea"]
    at.run()
    # A name someone else has, or none at all, gets a German message and changes nothing.
    at.text_input(key="team.name").input("bea")
    at.button(key="FormSubmitter:team.name_form-Umbenennen").click().run()
    assert [e.value for e in at.error] == [
        "„bea“ heißt schon jemand in Ihrem Team. Bitte wählen Sie einen anderen Namen."
    ]
    at.text_input(key="team.name").input("A")
    at.button(key="FormSubmitter:team.name_form-Umbenennen").click().run()
    assert [e.value for e in at.error] == [NAME_TOO_SHORT]
    at.text_input(key="team.name").input("Alexandra")
    at.button(key="FormSubmitter:team.name_form-Umbenennen").click().run()
    assert not at.error and "**Alexandra** (0 Aussagen)" in _markdown(at)


def test_the_demo_team_has_a_name_for_everyone_and_the_first_renames_herself(at, db, questionnaire):
    q = questionnaire
    with db() as s:
        aid = demo.create_demo(s, q).analysis_id
    _open(at, db, aid, None, "pages/team.py")  # the demo code without a name: the first member
    text = _markdown(at)
    assert "Sie bewerten als **Jana**" in text
    assert "Im Team: **Jana** (60 Aussagen), **Alex** (60 Aussagen), **Bea** (60 Aussagen)" in text
    assert "**Team**" not in text and not any("Wie heißen Sie?" in m.value for m in at.markdown)
    at.text_input(key="team.name").input("Johanna")
    at.button(key="FormSubmitter:team.name_form-Umbenennen").click().run()
    assert not at.exception and not at.error
    assert "Sie bewerten als **Johanna**" in _markdown(at)
    with db() as s:
        assert list(team.team_view(s, q, aid).raters.values()) == ["Johanna", "Alex", "Bea"]


def _two_members_with_agreement(db, q) -> tuple[int, int]:
    started = _project(db, q)
    aid = started.analysis_id
    alex = _member(db, q, aid, "Alex", {"A1.1": "4"})
    _member(db, q, aid, "Bea", {"A1.1": "dk"})
    with db() as s:
        team.agree(s, q, aid, "A1.1", "3", "vorläufig")
    return aid, alex


def test_agreed_value_can_be_changed_and_is_locked_once_submitted(at, db, questionnaire):
    q = questionnaire
    aid, alex = _two_members_with_agreement(db, q)
    _open(at, db, aid, alex, "pages/team.py")
    assert at.selectbox(key="team.value.A1.1").value == "3"
    assert at.text_input(key="team.reason.A1.1").value == "vorläufig"
    at.selectbox(key="team.value.A1.1").set_value("2")
    at.text_input(key="team.reason.A1.1").input("nach dem Workshop")
    at.button(key="team.save.A1.1").click().run()
    assert not at.exception and not at.error
    with db() as s:
        assert team.counting_answers(s, q, aid)["A1.1"] == "2"
        analyses.submit(s, aid)
    _goto(at, "pages/team.py")
    assert not at.exception
    assert "vereinbart]" in _markdown(at) and "nach dem Workshop" in _markdown(at)
    assert "weicht ab" not in _markdown(at)
    assert not [b for b in at.button if b.key and b.key.startswith("team.save.")]  # locked: no forms


def test_agreed_value_can_be_withdrawn_on_the_team_page(at, db, questionnaire):
    q = questionnaire
    aid, alex = _two_members_with_agreement(db, q)
    _open(at, db, aid, alex, "pages/team.py")
    at.selectbox(key="team.value.A1.1").set_value("")  # "– nicht vereinbart –"
    at.button(key="team.save.A1.1").click().run()
    assert not at.exception
    with db() as s:
        assert team.counting_answers(s, q, aid)["A1.1"] == "4"  # the fallback again, not the agreed 3


def test_results_page_counts_only_members_who_rated(at, db, questionnaire):
    q = questionnaire
    started = _project(db, q)
    aid = started.analysis_id
    alex = _member(db, q, aid, "Alex", {"A1.1": "4"})
    _member(db, q, aid, "Bea", {"A1.1": "2"})
    _open(at, db, aid, alex, "pages/results.py")
    captions = [c.value for c in at.caption]
    assert any(c.startswith("2 Personen haben bewertet.") for c in captions), captions


# --- measures page -------------------------------------------------------------------------------------


def _edit_table(at: AppTest, key: str, edited_rows: dict[int, dict[str, str]]) -> AppTest:
    """Send a data-editor edit the way the browser does, and rerun.

    AppTest cannot edit st.data_editor cells (set_value raises), and seeding the edit state
    through at.session_state does not call on_change. So the test adds the widget state the
    frontend would send – the editor's JSON edit state under its element id – to the other
    widgets' states and runs the script with them (AppTest._run, a private API).
    """
    editor = at.data_editor(key=key)
    states = at._tree.get_widget_states()
    ws = states.widgets.add()
    ws.id = editor.proto.id
    ws.string_value = json.dumps(
        {
            "edited_rows": {str(i): change for i, change in edited_rows.items()},
            "added_rows": [],
            "deleted_rows": [],
        }
    )
    return at._run(states)


def _measure_count(db) -> int:
    with db() as s:
        return s.scalar(select(func.count()).select_from(Measure))


def test_measures_page_validates_stores_and_lists(at, db, questionnaire):
    q = questionnaire
    started = _project(db, q)
    aid = started.analysis_id
    rater = _member(db, q, aid, "Alex", {"C3.1": "1", "C3.2": "2", "A1.1": "4"})
    with db() as s:
        save_note(s, q, aid, "C5", action_needed=True)
    _open(at, db, aid, rater, "pages/measures.py")
    assert at.title[0].value == "Maßnahmen"
    assert any("Noch keine Maßnahmen" in c.value for c in at.caption)
    # Development areas and flagged sub-criteria come first, with their hints.
    sub = at.selectbox(key="measures.sub")
    assert sub.options[:3] == [
        q.subcriterion("C3").label + " – Entwicklungsfeld (1,5)",
        q.subcriterion("C5").label + " – Handlungsbedarf",
        q.subcriterion("A1").label,
    ]
    assert sub.value is None  # nothing preselected: "Bitte wählen"

    at.text_input(key="measures.what").input("  ")
    at.button(key=MEASURE_BUTTON).click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [SUB_MISSING, WHAT_MISSING]
    assert _measure_count(db) == 0

    # Too long a text is kept in the field with a message, never silently dropped.
    long_what = "Fragebogen " * 30
    at.selectbox(key="measures.sub").set_value("C3")
    at.text_input(key="measures.what").input(long_what)
    at.button(key=MEASURE_BUTTON).click().run()
    assert [e.value for e in at.error] == ["Die Beschreibung darf höchstens 300 Zeichen haben."]
    assert at.text_input(key="measures.what").value == long_what
    assert _measure_count(db) == 0

    at.selectbox(key="measures.sub").set_value("C3")
    at.text_input(key="measures.what").input("  Vorher-Nachher-Fragebogen ")
    at.text_input(key="measures.who").input("Frau Yilmaz")
    at.date_input(key="measures.due").set_value(date(2027, 3, 1))
    at.selectbox(key="measures.status").set_value("begonnen")
    at.text_area(key="measures.note").input("mit der Uni")
    at.button(key=MEASURE_BUTTON).click().run()
    assert not at.exception and not at.error
    with db() as s:
        info = analyses.analysis_info(s, aid)
        rows = measures.measures_of(s, info.project_id)
    assert [(r.subcriterion_id, r.what, r.who, r.due, r.status, r.note) for r in rows] == [
        ("C3", "Vorher-Nachher-Fragebogen", "Frau Yilmaz", date(2027, 3, 1), "begonnen", "mit der Uni")
    ]
    editor = at.data_editor(key="measures.table")
    table = editor.value
    assert list(table["Was"]) == ["Vorher-Nachher-Fragebogen"]
    assert list(table["Status"]) == ["begonnen"] and list(table["Runde"]) == [1]
    assert table["Unterkriterium"].iloc[0] == q.subcriterion("C3").label


def _two_measures(db, q) -> tuple[int, int, int, int]:
    """A new project's analysis with two measures, the later due one added first, on its measures
    table: analysis id, project id, the later (A1) and the sooner (B2) measure's ids."""
    aid = _project(db, q).analysis_id
    with db() as s:
        project_id = analyses.analysis_info(s, aid).project_id
        later = measures.add_measure(s, q, aid, MeasureSpec("A1", "Bedarf erheben", "", date(2027, 6, 1)))
        sooner = measures.add_measure(s, q, aid, MeasureSpec("B2", "Förderantrag", "", date(2027, 2, 1)))
    return aid, project_id, later, sooner


def test_status_edited_in_the_table_is_saved(at, db, questionnaire):
    aid, project_id, later, sooner = _two_measures(db, questionnaire)
    _open(at, db, aid, None, "pages/measures.py")
    assert list(at.data_editor(key="measures.table").value["Was"]) == ["Förderantrag", "Bedarf erheben"]
    _edit_table(at, "measures.table", {1: {"Status": "umgesetzt", "Notiz": "erledigt im Mai"}})
    assert not at.exception and not at.error
    with db() as s:
        by_id = {r.id: r for r in measures.measures_of(s, project_id)}
    assert (by_id[later].status, by_id[later].note) == ("umgesetzt", "erledigt im Mai")
    assert by_id[sooner].status == "geplant"


def test_editing_one_row_does_not_overwrite_a_colleagues_change_of_another(at, db, questionnaire):
    aid, project_id, second, first = _two_measures(db, questionnaire)  # rows: first B2, second A1
    _open(at, db, aid, None, "pages/measures.py")
    editor_id = at.data_editor(key="measures.table").proto.id
    _edit_table(at, "measures.table", {0: {"Status": "begonnen"}})
    assert (
        at.data_editor(key="measures.table").proto.id == editor_id
    )  # same editor: the browser keeps its edits
    with db() as s:
        measures.set_status(s, project_id, first, "umgesetzt")  # Bea, in her own browser
    # Alex now changes only the second row; the browser sends all edits made in this editor.
    _edit_table(at, "measures.table", {0: {"Status": "begonnen"}, 1: {"Notiz": "Umfrage läuft"}})
    assert not at.exception
    with db() as s:
        by_id = {r.id: r for r in measures.measures_of(s, project_id)}
    assert by_id[second].note == "Umfrage läuft"
    assert by_id[first].status == "umgesetzt"


def _rows(db, aid: int) -> list[measures.MeasureRow]:
    with db() as s:
        return measures.measures_of(s, analyses.analysis_info(s, aid).project_id)


def test_every_field_of_a_measure_can_be_edited(at, db, questionnaire):
    q = questionnaire
    aid = _project(db, q).analysis_id
    with db() as s:
        mid = measures.add_measure(s, q, aid, MeasureSpec("A1", "Bedarf erheben", "Alex", date(2027, 6, 1)))
    _open(at, db, aid, None, "pages/measures.py")
    at.selectbox(key="measures.edit.pick").set_value(mid).run()
    prefix = f"measures.edit.{mid}"
    assert at.selectbox(key=f"{prefix}.sub").value == "A1"
    assert at.text_input(key=f"{prefix}.what").value == "Bedarf erheben"
    at.selectbox(key=f"{prefix}.sub").set_value("B2")
    at.text_input(key=f"{prefix}.what").input("Förderantrag schreiben")
    at.text_input(key=f"{prefix}.who").input("Bea")
    at.date_input(key=f"{prefix}.due").set_value(date(2027, 9, 30))
    at.selectbox(key=f"{prefix}.status").set_value("begonnen")
    at.text_area(key=f"{prefix}.note").input("Stiftung angefragt")
    at.button(key=f"FormSubmitter:{prefix}-Änderungen speichern").click().run()
    assert not at.exception and not at.error
    [row] = _rows(db, aid)
    assert (row.subcriterion_id, row.what, row.who, row.due, row.status, row.note) == (
        "B2",
        "Förderantrag schreiben",
        "Bea",
        date(2027, 9, 30),
        "begonnen",
        "Stiftung angefragt",
    )
    assert list(at.data_editor(key="measures.table.1").value["Was"]) == ["Förderantrag schreiben"]

    # A bad edit changes nothing and says why.
    at.text_input(key=f"{prefix}.what").input("x")
    at.button(key=f"FormSubmitter:{prefix}-Änderungen speichern").click().run()
    assert [e.value for e in at.error] == [WHAT_MISSING]
    assert _rows(db, aid)[0].what == "Förderantrag schreiben"


def test_deleting_a_measure_asks_first(at, db, questionnaire):
    q = questionnaire
    aid = _project(db, q).analysis_id
    with db() as s:
        keep = measures.add_measure(s, q, aid, MeasureSpec("A1", "Bedarf erheben"))
        gone = measures.add_measure(s, q, aid, MeasureSpec("B2", "Förderantrag"))
    _open(at, db, aid, None, "pages/measures.py")
    at.selectbox(key="measures.edit.pick").set_value(gone).run()
    at.button(key=f"measures.edit.{gone}.delete").click().run()
    assert any("wirklich löschen" in w.value for w in at.warning)
    assert len(_rows(db, aid)) == 2  # not yet
    at.button(key=f"measures.edit.{gone}.no").click().run()
    assert not at.warning and len(_rows(db, aid)) == 2
    at.button(key=f"measures.edit.{gone}.delete").click().run()
    at.button(key=f"measures.edit.{gone}.yes").click().run()
    assert not at.exception
    assert [r.id for r in _rows(db, aid)] == [keep]
    assert list(at.data_editor(key="measures.table.1").value["Was"]) == ["Bedarf erheben"]
