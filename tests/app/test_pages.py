"""Every page through app.py with AppTest: renders, validates, persists."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from mintqo.db.engine import make_engine, session_factory
from mintqo.services import analyses
from mintqo.services.answers import answers_of, notes_of, record_answer
from mintqo.services.demo import create_demo
from mintqo.ui import state
from tests.support.app_pages import charts, results_rest

CODE_RE = re.compile(r"^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$")
START_BUTTON = "FormSubmitter:start.new-Selbstanalyse starten"
RESUME_BUTTON = "FormSubmitter:start.resume-Fortsetzen"


def _answers(settings, analysis_id):
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as s:
        info = analyses.analysis_info(s, analysis_id)
        result = answers_of(s, analysis_id, info.rater_id)
    engine.dispose()
    return result


def _start(at: AppTest) -> str:
    at.run()
    at.text_input(key="start.initiative").input("MINT-Werkstatt Süd")
    at.text_input(key="start.project").input("Ferienkurs Elektronik")
    at.button(key=START_BUTTON).click().run()
    assert not at.exception
    return at.code[0].value


def _demo(settings) -> analyses.Started:
    from mintqo.db.engine import migrate
    from mintqo.questionnaire_files import get_edition

    migrate(settings.database_url)
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as s:
        started = create_demo(s, get_edition(settings.questionnaire_dir, settings.default_edition))
    engine.dispose()
    return started


def test_start_page_renders_both_ways_in(at):
    at.run()
    assert not at.exception
    assert at.title[0].value == "Selbstanalyse für MINT-Initiativen"
    assert [t.label for t in at.tabs] == ["Neue Selbstanalyse starten", "Mit Zugangscode fortsetzen"]


def test_missing_names_give_german_messages_and_create_nothing(at):
    at.run()
    at.text_input(key="start.initiative").input("   ")
    at.button(key=START_BUTTON).click().run()
    messages = [e.value for e in at.error]
    assert "Bitte geben Sie „Name der Initiative“ an." in messages
    assert "Bitte geben Sie „Name des Projekts“ an." in messages
    assert state.ANALYSIS_ID not in at.session_state
    assert not at.code


def test_start_shows_code_once_and_continues_to_preparation(at):
    code = _start(at)
    assert CODE_RE.match(code)
    assert at.code[1].value.endswith(f"/?code={code}")
    assert any("nur dieses eine Mal" in w.value for w in at.warning)
    printable = at.get("download_button")[0].proto
    assert printable.label == "Code ausdrucken oder speichern (Textdatei)"
    from mintqo.ui.code_widgets import code_text

    sheet = code_text(code, at.code[1].value)
    assert f"Zugangscode:  {code}" in sheet and at.code[1].value in sheet
    at.button(key="start.continue").click().run()
    assert at.title[0].value == "Vorbereitung"
    # The preparation is about working as a team, and the first person can give their name.
    text = "\n".join(m.value for m in at.markdown)
    assert "Jede Person bewertet für sich" in text and "Wie lange dauert es?" in [
        s.value for s in at.subheader
    ]
    at.text_input(key="prepare.name").input("Alex")
    at.button(key="FormSubmitter:prepare.name_form-Namen speichern").click().run()
    assert not at.exception and not at.error
    assert any("Sie heißen im Team jetzt „Alex“" in s.value for s in at.success)
    at.switch_page("pages/start.py").run()
    assert not at.code or code not in [c.value for c in at.code]


def test_every_page_renders_with_an_open_analysis(at):
    _start(at)
    for page, marker in [
        ("pages/prepare.py", "Vorbereitung"),
        ("pages/assess.py", "A1 Bedarf und Ausgangslage"),
        ("pages/results.py", "Ihre Ergebnisse"),
        ("pages/start.py", "Selbstanalyse für MINT-Initiativen"),
    ]:
        at.switch_page(page).run()
        assert not at.exception, page
        shown = [t.value for t in at.title] + [h.value for h in at.header]
        assert marker in shown, page


def test_the_step_shows_what_n_z_means_next_to_the_statements(at):
    _start(at)
    at.switch_page("pages/assess.py").run()
    assert any(
        c.value.startswith("**n. z.** = nicht zutreffend: zählt nicht in den Wert") for c in at.caption
    )


def test_walkthrough_pages_without_analysis_point_to_start(at):
    at.run()
    for page in ("pages/prepare.py", "pages/assess.py", "pages/results.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert "Bitte starten Sie zuerst" in at.info[0].value


def test_answering_on_a_step_is_stored_immediately(at, app_env):
    _start(at)
    analysis_id = at.session_state[state.ANALYSIS_ID]
    at.switch_page("pages/assess.py").run()
    at.radio(key="assess.q.A1.1").set_value("3").run()
    at.radio(key="assess.q.A1.2").set_value("dk").run()
    assert _answers(app_env, analysis_id) == {"A1.1": "3", "A1.2": "dk"}
    assert "2 von 60 Aussagen beantwortet" in at.get("progress")[0].proto.text
    at.text_area(key="assess.note.A1").input("Gespräche mit zwei Schulen").run()
    at.checkbox(key="assess.flag.A1").check().run()
    engine = make_engine(app_env.database_url)
    with session_factory(engine)() as s:
        assert notes_of(s, analysis_id)["A1"] == analyses.NoteState("Gespräche mit zwei Schulen", True)
    engine.dispose()


def test_step_navigation_and_answers_survive_a_new_session(at, app_env):
    _start(at)
    token = at.session_state[state.TOKEN]
    at.switch_page("pages/assess.py").run()
    at.button(key="assess.next").click().run()
    assert at.header[0].value == "A2 Zielgruppen"
    at.radio(key="assess.q.A2.1").set_value("4").run()
    # A reload is a new session with the same URL: the token in the URL reopens the analysis.
    fresh = AppTest.from_file(at._script_path, default_timeout=60)
    fresh.query_params[state.URL_TOKEN] = token
    fresh.query_params[state.URL_STEP] = "A2"
    fresh.run()
    assert fresh.session_state[state.ANALYSIS_ID] == at.session_state[state.ANALYSIS_ID]
    fresh.switch_page("pages/assess.py").run()
    assert not fresh.exception
    assert fresh.header[0].value == "A2 Zielgruppen"
    assert fresh.radio(key="assess.q.A2.1").value == "4"


def test_resume_with_code_lands_on_first_open_step(at, app_env):
    started = _demo(app_env)
    engine = make_engine(app_env.database_url)
    with session_factory(engine)() as s:
        info = analyses.analysis_info(s, started.analysis_id)
        analyses.reopen(s, info.analysis_id)
        from mintqo.questionnaire_files import get_edition

        q = get_edition(app_env.questionnaire_dir, app_env.default_edition)
        record_answer(s, q, info.analysis_id, info.rater_id, "B3.2", None)
    engine.dispose()
    at.run()
    at.text_input(key="start.code").input(started.code.lower())
    at.button(key=RESUME_BUTTON).click().run()
    assert not at.exception
    assert at.header[0].value == "B3 Räume, Ausstattung und Material"


def test_wrong_codes_get_a_message_and_are_slowed_down(at):
    at.run()
    for _ in range(3):
        at.text_input(key="start.code").input("AAAA-BBBB-CCCC-DDDD")
        at.button(key=RESUME_BUTTON).click().run()
    assert "nicht bekannt" in at.error[0].value
    at.text_input(key="start.code").input("AAAA-BBBB-CCCC-DDDE")
    at.button(key=RESUME_BUTTON).click().run()
    assert "Bitte warten Sie" in at.error[0].value
    assert state.ANALYSIS_ID not in at.session_state


def test_resume_link_opens_the_analysis(at, app_env):
    started = _demo(app_env)
    at.query_params[state.URL_CODE] = started.code
    at.run()
    assert not at.exception
    assert at.session_state[state.ANALYSIS_ID] == started.analysis_id
    assert state.URL_CODE not in at.query_params
    assert at.title[0].value == "Ihre Ergebnisse"  # the demo is submitted: straight to its results


def test_results_page_shows_charts_table_and_strengths(at, app_env):
    started = _demo(app_env)
    at.query_params[state.URL_CODE] = started.code
    at.run()  # the resume link of a submitted analysis: its results, the rest once the radar is drawn
    results_rest(at)
    assert not at.exception
    assert len(charts(at)) == 2
    subheaders = [s.value for s in at.subheader]
    assert {"Stärken", "Ansatzpunkte", "Alle Werte als Tabelle", "Offene Punkte („weiß nicht“)"} <= set(
        subheaders
    )
    # One vocabulary: every listed sub-criterion carries its band's own name, and a strength is at
    # least 3,3 – a plain 3,0 is "solide", neither strength nor development area.
    table = next(t.value for t in at.table if "Id" in t.value.columns)  # not a chart's table twin
    shown = dict(zip(table["Id"], table["Wert (1–4)"], strict=True))
    bands = dict(zip(table["Id"], table["Einstufung"], strict=True))
    for sub_id, value in shown.items():
        if value != "keine Bewertung":
            number = float(value.replace(",", "."))
            expected = (
                "Stärke"
                if number >= 3.3
                else "solide"
                if number >= 3.0
                else "ausbaufähig"
                if number >= 2.0
                else "Entwicklungsfeld"
            )
            assert bands[sub_id] == expected, (sub_id, value, bands[sub_id])
    badges = [m.value for m in at.markdown if m.value.startswith(":") and " · " in m.value.split("]")[0]]
    assert badges and all(re.search(r"· (Stärke|solide|ausbaufähig|Entwicklungsfeld)\]", b) for b in badges)
    assert any("Ihre größte Stärke" in m.value or "Ihre größten Stärken" in m.value for m in at.markdown)
    # Each chart has a table twin ("Als Tabelle anzeigen"); the page's own table has the counts.
    assert "Ihr Projekt" in at.table[0].value.columns
    table = next(t.value for t in at.table if "bewertet" in t.value.columns)
    assert len(table) == 15 and "bewertet" in table.columns
    assert at.success[0].value.startswith("Abgeschlossen am")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [
        "PDF: Bericht mit Grafiken",  # first; the PDF is built only when clicked
        "Excel (.xlsx): Antworten und Maßnahmen",
        "CSV: Antworten und Notizen",
        "CSV: Maßnahmen",
    ]
    pdf = at.get("download_button")[0].proto
    assert pdf.deferred_file_id and pdf.icon == ":material/picture_as_pdf:"  # built on click, not per rerun


def test_submit_and_reopen_from_results(at, app_env):
    _start(at)
    analysis_id = at.session_state[state.ANALYSIS_ID]
    at.switch_page("pages/assess.py").run()
    at.radio(key="assess.q.A1.1").set_value("4").run()
    results_rest(at.switch_page("pages/results.py").run())
    assert "Noch 59 Aussagen offen" in at.warning[0].value
    at.button(key="results.submit").click().run()
    engine = make_engine(app_env.database_url)
    with session_factory(engine)() as s:
        assert analyses.analysis_info(s, analysis_id).submitted
    at.switch_page("pages/assess.py").run()
    assert at.radio(key="assess.q.A1.1").disabled
    at.switch_page("pages/results.py").run()
    at.button(key="results.reopen").click().run()
    with session_factory(engine)() as s:
        assert not analyses.analysis_info(s, analysis_id).submitted
    engine.dispose()


def _reopen_complete_demo(app_env) -> analyses.Started:
    """The demo (every statement answered), back in draft: complete but not submitted."""
    started = _demo(app_env)
    engine = make_engine(app_env.database_url)
    with session_factory(engine)() as s:
        analyses.reopen(s, started.analysis_id)
    engine.dispose()
    return started


def _submitted(app_env, analysis_id: int) -> bool:
    engine = make_engine(app_env.database_url)
    with session_factory(engine)() as s:
        done = analyses.analysis_info(s, analysis_id).submitted
    engine.dispose()
    return done


def test_resume_of_a_complete_unsubmitted_analysis_opens_results_with_finish_on_top(at, app_env):
    started = _reopen_complete_demo(app_env)
    at.run()
    at.text_input(key="start.code").input(started.code)
    at.button(key=RESUME_BUTTON).click().run()
    assert not at.exception
    assert at.title[0].value == "Ihre Ergebnisse"  # nothing is open: no step 1 at "60 von 60"
    top = at.button(key="results.submit_top")
    assert top.label == "Selbstanalyse abschließen"
    assert any(
        "Erst abgeschlossene Selbstanalysen zählen für den Gruppenvergleich" in m.value for m in at.markdown
    )
    top.click().run()
    assert not at.exception
    assert _submitted(app_env, started.analysis_id)
    assert at.success[0].value.startswith("Abgeschlossen am")
    assert not [b for b in at.button if b.key in ("results.submit_top", "results.submit")]


def test_no_finish_box_atop_results_while_statements_are_open(at, app_env):
    _start(at)
    at.switch_page("pages/assess.py").run()
    at.radio(key="assess.q.A1.1").set_value("4").run()
    results_rest(at.switch_page("pages/results.py").run())
    assert not [b for b in at.button if b.key == "results.submit_top"]
    assert at.button(key="results.submit").label == "Selbstanalyse abschließen"  # still at the end


def test_last_step_offers_finishing_once_everything_is_answered(at, app_env):
    started = _reopen_complete_demo(app_env)
    at.query_params[state.URL_TOKEN] = ""
    at.run()
    at.text_input(key="start.code").input(started.code)
    at.button(key=RESUME_BUTTON).click().run()
    at.session_state[state.STEP] = "C5"
    at.switch_page("pages/assess.py").run()
    assert not at.exception
    assert at.header[0].value.startswith("C5")
    assert at.button(key="assess.finish").label == "Zur Auswertung →"
    submit = at.button(key="assess.submit")
    assert submit.label == "Selbstanalyse abschließen"
    assert any("Alle Aussagen sind beantwortet" in i.value for i in at.info)
    submit.click().run()
    assert not at.exception
    assert _submitted(app_env, started.analysis_id)


def test_last_step_without_all_answers_only_leads_to_the_results(at, app_env):
    _start(at)
    at.session_state[state.STEP] = "C5"
    at.switch_page("pages/assess.py").run()
    assert at.header[0].value.startswith("C5")
    assert at.button(key="assess.finish").label == "Zur Auswertung →"
    assert not [b for b in at.button if b.key == "assess.submit"]
    assert any("Noch 60 von 60 Aussagen offen" in c.value for c in at.caption)
