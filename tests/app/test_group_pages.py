"""Workshop-group pages through app.py with AppTest: moderation, dashboard, presentation, results."""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from mintqo.db.models import WorkshopGroup
from mintqo.domain.profile import Profile
from mintqo.domain.workshop import GroupSpec, slides
from mintqo.services import analyses, benchmarks, exports, groups, releases
from mintqo.ui import state

CODE_RE = re.compile(r"^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$")
LOGIN_BUTTON = "FormSubmitter:moderation.login-Anmelden"
CREATE_BUTTON = "FormSubmitter:moderation.new-Workshopgruppe anlegen"
JOIN_BUTTON = "FormSubmitter:results.join-Der Gruppe beitreten"
RESUME_BUTTON = "FormSubmitter:start.resume-Fortsetzen"
GROUP_NAME = "Workshop Nordstadt"
SECRET_NOTE = "Streng vertraulich: Förderung läuft aus"
BAND = re.compile(r": mittlere 50 %$")
TIMEOUT = 60


def _group(db, questionnaire, k: int = 3) -> groups.CreatedGroup:
    with db() as s:
        return groups.create_group(s, questionnaire, GroupSpec(GROUP_NAME, "Nordregion", k=k))


def _project(db, questionnaire, name: str, value: str, *, join: str | None = None, submit: bool = False):
    """An analysis with every statement answered `value`; optionally joined and submitted."""
    with db() as s:
        started = analyses.start_analysis(
            s, questionnaire, Profile(initiative=f"Initiative {name}", project=name)
        )
        info = analyses.analysis_info(s, started.analysis_id)
        for sub in questionnaire.subcriteria:
            for statement in sub.statements:
                analyses.record_answer(s, questionnaire, info.analysis_id, info.rater_id, statement.id, value)
        analyses.save_note(s, questionnaire, info.analysis_id, "A1", note=SECRET_NOTE, action_needed=True)
        if join:
            groups.join_group(s, started.analysis_id, join)
        if submit:
            analyses.submit(s, started.analysis_id)
    return started


def _goto(at: AppTest, page: str) -> AppTest:
    """Switch AppTest to a page and run it.

    AppTest's page choice is sticky: after the app's own ``st.switch_page`` the next ``run()``
    goes back to the page last passed to ``AppTest.switch_page``. So tests follow every in-app
    page change with this, after checking that they landed on the new page.
    """
    return at.switch_page(page).run()


def _login(at: AppTest, code: str) -> AppTest:
    """Log in on the moderation page (which then switches to the dashboard)."""
    at.run()
    _goto(at, "pages/moderation.py")
    at.text_input(key="moderation.code").input(code)
    at.button(key=LOGIN_BUTTON).click().run()
    assert not at.exception
    if not at.error:
        assert at.title[0].value == GROUP_NAME  # st.switch_page to the dashboard
        _goto(at, "pages/dashboard.py")
    return at


def _open_analysis(at: AppTest, db, analysis_id: int, page: str = "pages/results.py") -> AppTest:
    """Open an analysis the way a reload does: its session token in the URL."""
    with db() as s:
        token = analyses.open_login_session(s, analysis_id, 1)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    _goto(at, page)
    assert not at.exception
    return at


def _button_keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def _trace_names(at: AppTest) -> list[str]:
    return [trace.get("name", "") for fig in _figures(at) for trace in fig.get("data", [])]


def _texts(at: AppTest) -> list[str]:
    """Every text the page shows: titles, markdown, captions, alerts, metrics, expanders, tables."""
    out: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning", "error"):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [e.label for e in at.expander]
    out += [e.label for e in at.tabs]
    out += [d.value.to_csv() for d in at.dataframe]
    return out


def _infos(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info)


# --- Moderation page ---------------------------------------------------------------------------


def test_moderation_page_renders_both_tabs(at):
    at.run()
    at.switch_page("pages/moderation.py").run()
    assert not at.exception
    assert at.title[0].value == "Moderation von Workshopgruppen"
    assert [t.label for t in at.tabs] == ["Mit Moderationscode anmelden", "Neue Workshopgruppe anlegen"]
    assert at.text_input(key="moderation.code").label == "Moderationscode"
    assert at.number_input(key="moderation.k").value == 3


def test_missing_name_and_region_give_german_errors_and_create_nothing(at, db):
    at.run()
    _goto(at, "pages/moderation.py")
    at.text_input(key="moderation.name").input("  ")
    at.button(key=CREATE_BUTTON).click().run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert "Bitte geben Sie der Workshopgruppe einen Namen (mindestens 2 Zeichen)." in messages
    assert "Bitte geben Sie die Region an – sie bestimmt den Regionalvergleich." in messages
    assert not at.code
    assert state.GROUP_ID not in at.session_state
    with db() as s:
        assert s.scalar(select(func.count()).select_from(WorkshopGroup)) == 0


def test_creating_a_group_shows_both_codes_once_and_continues_to_the_dashboard(at, db, questionnaire):
    at.run()
    _goto(at, "pages/moderation.py")
    at.text_input(key="moderation.name").input(GROUP_NAME)
    at.text_input(key="moderation.region").input("Nordregion")
    at.date_input(key="moderation.part1").set_value(date(2026, 3, 2))
    at.date_input(key="moderation.part2").set_value(date(2026, 4, 13))
    at.number_input(key="moderation.k").set_value(4)
    at.button(key=CREATE_BUTTON).click().run()
    assert not at.exception
    assert not at.error
    codes = [c.value for c in at.code]
    assert len(codes) == 2 and all(CODE_RE.match(c) for c in codes) and codes[0] != codes[1]
    facilitator_code, join_code = codes
    assert any("nur dieses eine Mal" in w.value for w in at.warning)
    with db() as s:
        group_id = groups.facilitator_login(s, facilitator_code)
        assert group_id == at.session_state[state.GROUP_ID]
        info = groups.group_info(s, group_id)
        assert (info.name, info.region, info.k, info.join_until) == (
            GROUP_NAME,
            "Nordregion",
            4,
            date(2026, 4, 13),
        )
        assert groups.facilitator_login(s, join_code) is None  # the join code is no login

    at.button(key="moderation.continue").click().run()
    assert not at.exception
    assert at.title[0].value == GROUP_NAME
    header = "\n".join(m.value for m in at.markdown)
    assert "Anonymitätsschwelle **k = 4**" in header and "Teil 2: 13.04.2026" in header
    assert "Noch ist kein Projekt beigetreten" in _infos(at)

    at.switch_page("pages/moderation.py").run()
    assert not at.code  # the codes were shown exactly once
    assert any(GROUP_NAME in m.value for m in at.markdown)


def test_facilitator_code_opens_the_dashboard(at, db, questionnaire):
    created = _group(db, questionnaire)
    _login(at, created.facilitator_code.lower().replace("-", " "))
    assert at.session_state[state.GROUP_ID] == created.group_id
    assert at.title[0].value == GROUP_NAME
    assert at.query_params[state.URL_TOKEN]


def test_project_code_is_refused_on_moderation_page(at, db, questionnaire):
    _group(db, questionnaire)
    started = _project(db, questionnaire, "Robotik-AG", "3")
    _login(at, started.code)
    assert "Dieser Moderationscode ist uns nicht bekannt" in at.error[0].value
    assert state.GROUP_ID not in at.session_state
    assert state.ANALYSIS_ID not in at.session_state
    assert at.title[0].value == "Moderation von Workshopgruppen"


def test_facilitator_code_is_refused_on_start_page(at, db, questionnaire):
    created = _group(db, questionnaire)
    at.run()
    at.text_input(key="start.code").input(created.facilitator_code)
    at.button(key=RESUME_BUTTON).click().run()
    assert not at.exception
    assert "Dieser Zugangscode ist uns nicht bekannt" in at.error[0].value
    assert state.ANALYSIS_ID not in at.session_state
    assert state.GROUP_ID not in at.session_state


@pytest.mark.parametrize("page", ["pages/dashboard.py", "pages/presentation.py"])
def test_facilitator_pages_without_login_show_the_hint_and_no_data(at, db, questionnaire, page):
    created = _group(db, questionnaire)
    for name in ("Eins", "Zwei", "Drei"):
        _project(db, questionnaire, name, "4", join=created.join_code, submit=True)
    with db() as s:
        releases.release(s, created.group_id, questionnaire)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert "Diese Seite ist der Moderation vorbehalten" in at.info[0].value
    assert not at.dataframe and not at.metric and not at.get("plotly_chart")
    assert not any(GROUP_NAME in t or "Initiative Eins" in t for t in _texts(at))


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_with_two_submitted_gives_the_reason_and_no_release_button(at, db, questionnaire):
    created = _group(db, questionnaire)
    _project(db, questionnaire, "Eins", "4", join=created.join_code, submit=True)
    _project(db, questionnaire, "Zwei", "2", join=created.join_code, submit=True)
    _project(db, questionnaire, "Drei", "3", join=created.join_code)  # joined, still in progress
    _login(at, created.facilitator_code)
    assert "Es sind erst 2 von mindestens 3 Selbstanalysen abgeschlossen." in _infos(at)
    assert "dashboard.release" not in _button_keys(at)
    assert [m.value for m in at.metric] == ["3", "2", "0"]
    table = at.dataframe[0].value
    assert sorted(table["Status"]) == ["abgeschlossen", "abgeschlossen", "in Bearbeitung"]
    assert re.search(r"noch zu wenige Analysen für einen Vergleich|noch nicht freigegeben", _infos(at))
    assert not at.get("plotly_chart")
    assert "dashboard.present" not in _button_keys(at)


def test_dashboard_with_three_submitted_releases_and_shows_picture_and_agenda(at, db, questionnaire):
    created = _group(db, questionnaire)
    for name, value in (("Eins", "4"), ("Zwei", "2"), ("Drei", "3")):
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    _login(at, created.facilitator_code)
    release = at.button(key="dashboard.release")
    assert release.label == "Gruppenbild mit 3 Analysen freigeben"
    assert not at.get("plotly_chart")
    release.click().run()
    assert not at.exception
    with db() as s:
        assert releases.latest_release(s, created.group_id).n_members == 3
    assert "dashboard.release" not in _button_keys(at)
    assert "Seit der letzten Freigabe hat sich nichts geändert." in _infos(at)
    assert len(at.get("plotly_chart")) == 2  # radar and heat map tabs
    assert any(n == "Gruppe: mittlere 50 %" for n in _trace_names(at))
    assert [t.label for t in at.tabs] == ["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"]
    assert "Diskussionsagenda" in [s.value for s in at.subheader]
    assert at.expander, "the agenda lists its sub-criteria as expanders"
    labels = [e.label for e in at.expander]
    assert "**A1 Bedarf und Ausgangslage** · Median 3,0" in labels, labels  # median of 4, 2 and 3
    assert "**A1 Bedarf und Ausgangslage** · mittlere 50 %: 2,5 bis 3,5" in labels, labels
    assert at.metric[2].value == "3"
    assert list(at.dataframe[0].value["Im Gruppenbild"]) == ["ja", "ja", "ja"]
    assert "dashboard.present" in _button_keys(at)


def test_dashboard_never_shows_a_projects_individual_answers(at, db, questionnaire):
    created = _group(db, questionnaire)
    _project(db, questionnaire, "Einzelprojekt", "4", join=created.join_code, submit=True)
    _login(at, created.facilitator_code)
    texts = "\n".join(_texts(at))
    assert "Einzelprojekt" in texts  # its participation is visible …
    labels = [o.label for o in questionnaire.scale] + [
        o.short for o in questionnaire.scale if o.value != "dk"
    ]
    statements = [st.text for sub in questionnaire.subcriteria for st in sub.statements]
    for forbidden in [*labels, *statements, SECRET_NOTE, "4,0"]:  # … never its ratings or notes
        assert forbidden not in texts, forbidden
    assert not at.get("plotly_chart")
    assert list(at.dataframe[0].value.columns) == [
        "Initiative",
        "Projekt",
        "Status",
        "Fortschritt",
        "Abgeschlossen am",
        "Im Gruppenbild",
    ]

    # Released with two more projects: only group figures, still no single project's answers.
    for name in ("Zwei", "Drei"):
        _project(db, questionnaire, name, "2", join=created.join_code, submit=True)
    at.run()
    at.button(key="dashboard.release").click().run()
    assert not at.exception
    texts = "\n".join(_texts(at))
    for forbidden in [*labels, *statements, SECRET_NOTE]:
        assert forbidden not in texts, forbidden
    specs = "\n".join(chart.proto.spec for chart in at.get("plotly_chart"))
    assert specs
    for project in ("Einzelprojekt", "Initiative Einzelprojekt", "Ihr Projekt", SECRET_NOTE):
        assert project not in specs


# --- Presentation ------------------------------------------------------------------------------


def test_presentation_renders_every_slide_with_n_and_k(at, db, questionnaire):
    created = _group(db, questionnaire)
    for name, value in (("Eins", "4"), ("Zwei", "2"), ("Drei", "dk")):
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    with db() as s:
        releases.release(s, created.group_id, questionnaire)
    _login(at, created.facilitator_code)
    at.button(key="dashboard.present").click().run()
    assert not at.exception
    assert any("slide-title" in m.value for m in at.markdown)  # st.switch_page to the presentation
    _goto(at, "pages/presentation.py")
    deck = slides(questionnaire)
    assert len(deck) == 20
    seen = []
    for index, slide in enumerate(deck):
        assert not at.exception, slide.title
        markdown = "\n".join(m.value for m in at.markdown)
        assert f"<h1 class='slide-title'>{slide.title}</h1>" in markdown, slide.title
        assert f"Folie {index + 1} / 20" in markdown
        footer = [m.value for m in at.markdown if "slide-footer" in m.value]
        assert len(footer) == 1, slide.title
        assert "n = 3 abgeschlossene Analysen" in footer[0] and "k = 3" in footer[0], footer[0]
        seen.append(slide.title)
        with db() as s:
            assert groups.group_info(s, created.group_id).presenting
            assert groups.group_info(s, created.group_id).slide == index
        forward = at.button(key="present.next")
        assert forward.disabled == (index == len(deck) - 1)
        if index < len(deck) - 1:
            forward.click().run()
    assert seen[0] == "Überblick: das Gruppenbild" and seen[-1] == "Diskussionsagenda"
    at.button(key="present.back").click().run()
    assert "Folie 19 / 20" in "\n".join(m.value for m in at.markdown)
    at.button(key="present.end").click().run()
    assert not at.exception
    assert at.title[0].value == GROUP_NAME
    with db() as s:
        assert not groups.group_info(s, created.group_id).presenting


# --- Results page of a participant -------------------------------------------------------------


def test_joining_with_a_wrong_code_fails_and_with_the_right_code_succeeds(at, db, questionnaire):
    created = _group(db, questionnaire)
    started = _project(db, questionnaire, "Robotik-AG", "3")
    _open_analysis(at, db, started.analysis_id)
    assert at.title[0].value == "Ihre Ergebnisse"
    assert at.expander[0].label == "Gehören Sie zu einer Workshopgruppe? Hier beitreten"
    at.text_input(key="results.join_code").input("AAAA-BBBB-CCCC-DDDD")
    at.button(key=JOIN_BUTTON).click().run()
    assert not at.exception
    assert "Diesen Gruppen-Code kennen wir nicht" in at.error[0].value
    with db() as s:
        assert groups.group_of_analysis(s, started.analysis_id) is None

    at.text_input(key="results.join_code").input(created.facilitator_code)  # not a join code either
    at.button(key=JOIN_BUTTON).click().run()
    assert "Diesen Gruppen-Code kennen wir nicht" in at.error[0].value

    at.text_input(key="results.join_code").input(created.join_code.lower())
    at.button(key=JOIN_BUTTON).click().run()
    assert not at.exception
    assert at.success[0].value == f"Sie sind der Workshopgruppe „{GROUP_NAME}“ beigetreten."
    with db() as s:
        assert groups.group_of_analysis(s, started.analysis_id).id == created.group_id
    at.run()
    assert not any(e.label.startswith("Gehören Sie zu einer Workshopgruppe") for e in at.expander)


def test_results_show_the_group_band_after_release(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _project(db, questionnaire, "Eins", "4", join=created.join_code, submit=True)
    for name, value in (("Zwei", "2"), ("Drei", "3")):
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    with db() as s:
        releases.release(s, created.group_id, questionnaire)
    _open_analysis(at, db, mine.analysis_id)
    control = at.segmented_control[0]
    assert control.label == "Vergleichen mit"
    assert control.value == "group"
    assert control.options == ["Workshopgruppe", "Region", "alle Gruppen"]
    assert "noch zu wenige" not in _infos(at)
    assert any("Workshopgruppe „Workshop Nordstadt“" in c.value and "n = 3" in c.value for c in at.caption)
    names = _trace_names(at)
    assert [n for n in names if BAND.search(n) and n.startswith("Workshopgruppe")], names
    assert "Aussagen im Vergleich" in [s.value for s in at.subheader]
    assert at.session_state[state.SCOPE] == "group"
    charts_before = len(at.get("plotly_chart"))
    at.selectbox(key="results.drill").select("A2").run()
    assert len(at.get("plotly_chart")) == charts_before + 1
    drill = json.loads(at.get("plotly_chart")[-1].proto.spec)
    counts = {t["name"]: sum(x or 0 for x in t["x"]) for t in drill["data"]}
    assert counts["trifft voll zu"] + counts["eher nicht"] + counts["eher zu"] >= 3 * 3  # 3 projects × A2


def test_results_with_two_submitted_show_the_message_and_no_band(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _project(db, questionnaire, "Eins", "4", join=created.join_code, submit=True)
    _project(db, questionnaire, "Zwei", "2", join=created.join_code, submit=True)
    _open_analysis(at, db, mine.analysis_id)
    infos = _infos(at)
    assert "noch zu wenige Analysen für einen Vergleich" in infos or "noch nicht freigegeben" in infos
    assert not [n for n in _trace_names(at) if BAND.search(n)]
    assert "Aussagen im Vergleich" not in [s.value for s in at.subheader]


def test_results_follow_the_presentation(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _project(db, questionnaire, "Eins", "4", join=created.join_code, submit=True)
    for name, value in (("Zwei", "2"), ("Drei", "3")):
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    with db() as s:
        releases.release(s, created.group_id, questionnaire)
    _open_analysis(at, db, mine.analysis_id)
    assert not any("Sie sind hier" in m.value for m in at.markdown)
    deck = slides(questionnaire)
    for index in (0, 1, 2, 19):
        with db() as s:
            groups.set_presentation(s, created.group_id, presenting=True, slide=index)
        at.run()
        assert not at.exception, deck[index].title
        here = [m.value for m in at.markdown if "Sie sind hier" in m.value]
        assert here == [f"### :material/co_present: Sie sind hier · {deck[index].title}"]
    with db() as s:
        groups.set_presentation(s, created.group_id, presenting=False, slide=19)
    at.run()
    assert not any("Sie sind hier" in m.value for m in at.markdown)


def test_dashboard_offers_the_released_picture_for_download(at, db, questionnaire):
    created = _group(db, questionnaire)
    for name, value in (("Eins", "4"), ("Zwei", "2"), ("Drei", "3")):
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    with db() as s:
        releases.release(s, created.group_id, questionnaire)
    _login(at, created.facilitator_code)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Gruppenbild als Excel (.xlsx)", "Kriterien als CSV"]
    with db() as s:
        group = groups.group_info(s, created.group_id)
        comparison = benchmarks.comparisons(s, questionnaire, group, None)[benchmarks.GROUP]
    book = load_workbook(io.BytesIO(exports.group_workbook(comparison, questionnaire)))
    assert book.sheetnames == ["Kriterien", "Aussagen"]
    rows = list(book["Kriterien"].values)
    assert rows[0][:5] == ("Kriterium", "Analysen (n)", "Median", "unteres Quartil", "oberes Quartil")
    assert all("Eins" not in str(cell) and "Zwei" not in str(cell) for row in rows for cell in row)
