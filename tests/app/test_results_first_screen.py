"""The results page's first screen: the radar first, the rest once the browser has drawn it."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from mintqo.domain.profile import Profile
from mintqo.services import analyses
from mintqo.services.demo import create_demo, create_demo_group
from mintqo.ui import state
from mintqo.ui.first_screen import CHART_CODE_KEY
from tests.support.app_pages import REST_BUTTON, charts, goto, held, open_analysis, results_rest, subheaders

REST_HEADING = "Alle Werte als Tabelle"  # far below the radar


def _open_demo(at: AppTest, db, questionnaire) -> AppTest:  # type: ignore[no-untyped-def]
    """The demo project (submitted, in a workshop group) opened by its resume link: its results."""
    with db() as s:
        started = create_demo(s, questionnaire)
        create_demo_group(s, questionnaire, started)
    at.query_params[state.URL_CODE] = started.code
    at.run()
    assert not at.exception
    return at


def test_first_screen_ends_below_the_radar_and_the_button_brings_the_rest(at, db, questionnaire):
    _open_demo(at, db, questionnaire)
    assert at.title[0].value == "Ihre Ergebnisse"
    assert "Profil über alle Unterkriterien" in subheaders(at)
    assert len(charts(at)) == 1  # the radar, nothing below it yet
    # Sent before everything else: the browser loads the chart code while the page reads its data.
    assert json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["meta"] == CHART_CODE_KEY
    assert REST_HEADING not in subheaders(at)
    assert held(at, REST_BUTTON)
    results_rest(at)
    assert REST_HEADING in subheaders(at) and "Stärken" in subheaders(at)
    assert len(charts(at)) == 2  # radar and main-criteria bars
    assert at.success[0].value.startswith("Abgeschlossen am")
    at.run()  # later runs are whole runs, never held again in this browser session
    assert not held(at, REST_BUTTON) and REST_HEADING in subheaders(at)


def test_a_click_during_the_hold_gives_the_whole_page(at, db, questionnaire):
    _open_demo(at, db, questionnaire)
    assert held(at, REST_BUTTON)
    both = ["Median", "mittlere 50 %"]
    at.button_group(key="results.layers").set_value(both).run()  # before the browser's own click
    assert not at.exception
    assert not held(at, REST_BUTTON)
    assert REST_HEADING in subheaders(at)
    assert at.button_group(key="results.layers").value == both


def test_an_answer_changed_elsewhere_during_the_hold_is_shown(at, db, questionnaire):
    with db() as s:
        started = analyses.start_analysis(s, questionnaire, Profile("MINT-Werkstatt", "Ferienkurs"))
    open_analysis(at, db, started.analysis_id, "pages/assess.py")
    at.radio(key="assess.q.A1.1").set_value("4").run()
    goto(at, "pages/results.py")
    assert held(at, REST_BUTTON)  # left before the browser drew the radar
    goto(at, "pages/assess.py")
    at.radio(key="assess.q.A1.2").set_value("3").run()
    goto(at, "pages/results.py")
    assert not at.exception and not held(at, REST_BUTTON)
    assert "Noch 58 Aussagen offen" in at.warning[0].value  # read afresh, not the first screen's view


def test_without_answers_there_is_no_radar_and_nothing_held(at, db, questionnaire):
    with db() as s:
        started = analyses.start_analysis(s, questionnaire, Profile("MINT-Werkstatt", "Ferienkurs"))
    open_analysis(at, db, started.analysis_id)
    assert at.title[0].value == "Ihre Ergebnisse"
    assert not held(at, REST_BUTTON) and not charts(at)
    assert {"Start", "Durchführung", "Ergebnisse"} <= set(_nav(at))  # stopped early, sidebar drawn


def test_pages_without_a_chart_on_top_do_not_load_the_chart_code(at, db, questionnaire):
    _open_demo(at, db, questionnaire)
    for page in ("pages/start.py", "pages/assess.py", "pages/team.py", "pages/privacy.py"):
        goto(at, page)
        assert not at.exception and not at.get("plotly_chart"), page


def _nav(at: AppTest) -> list[str]:
    return [link.proto.label for link in at.sidebar.get("page_link")]


def test_the_sidebar_comes_with_every_end_of_a_chart_page_run(at, db, questionnaire):
    # Chart pages draw the sidebar after the page (app.py): a held first screen, the rest and a
    # page that stops at once keep their page links (a results page without answers: the test above).
    _open_demo(at, db, questionnaire)
    assert held(at, REST_BUTTON)
    assert {"Start", "Ergebnisse", "Maßnahmen"} <= set(_nav(at))
    results_rest(at)
    assert {"Start", "Ergebnisse", "Maßnahmen"} <= set(_nav(at))
    goto(at, "pages/dashboard.py")  # no facilitator login: the dashboard stops at once
    assert not at.exception and {"Start", "Ergebnisse", "Moderation"} <= set(_nav(at))


def test_a_crash_on_a_chart_page_keeps_the_sidebar(at, db, questionnaire, monkeypatch, caplog):
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("results read failed")

    monkeypatch.setattr("mintqo.services.results_view.results_view", broken)
    _open_demo(at, db, questionnaire)
    assert at.error and "Referenz" in at.error[0].value  # the German box with its log reference
    assert {"Start", "Ergebnisse", "Maßnahmen"} <= set(_nav(at))
    caplog.clear()  # the crash is expected (conftest fails tests with hidden page errors)
