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
from mintqo.services import analyses, exports, group_comparisons, groups, participation, releases
from mintqo.services.answers import record_answer, save_note
from mintqo.ui import state
from tests.support.app_pages import charts, dashboard_rest, facilitator_login
from tests.support.app_pages import goto as _goto
from tests.support.app_pages import open_analysis as _open_analysis

CODE_RE = re.compile(r"^[2-9A-Z]{4}(-[2-9A-Z]{4}){3}$")
CREATE_BUTTON = "FormSubmitter:moderation.new-Workshopgruppe anlegen"
JOIN_BUTTON = "FormSubmitter:results.join-Der Gruppe beitreten"
RESUME_BUTTON = "FormSubmitter:start.resume-Fortsetzen"
GROUP_NAME = "Workshop Nordstadt"
SECRET_NOTE = "Streng vertraulich: Förderung läuft aus"
BAND = re.compile(r": mittlere 50 %$")
TIMEOUT = 60
CONFIRM = "dashboard.release_confirm"
PRIVACY_TITLE = "Wie mintqo die Gruppenzahlen schützt"
PRIVACY_LINK = (PRIVACY_TITLE, "anonymitaet")  # st.page_link to pages/privacy.py, by its url_path
RELEASE_LOG = "Freigabeprotokoll der Gruppe"
# k = 3: a release needs 2k − 1 = 5 submitted analyses, every figure 5 ratings.
FIVE = (("Eins", "4"), ("Zwei", "2"), ("Drei", "3"), ("Vier", "3"), ("Fünf", "2"))


def _group(db, questionnaire, k: int = 3) -> groups.CreatedGroup:
    with db() as s:
        return groups.create_group(s, questionnaire, GroupSpec(GROUP_NAME, "Nordregion", k=k))


def _project(
    db, questionnaire, name: str, value: str | None, *, join: str | None = None, submit: bool = False
):
    """An analysis with every statement answered `value` (None: not begun); optionally joined and
    submitted."""
    with db() as s:
        started = analyses.start_analysis(
            s, questionnaire, Profile(initiative=f"Initiative {name}", project=name)
        )
        info = analyses.analysis_info(s, started.analysis_id)
        if value is not None:
            for sub in questionnaire.subcriteria:
                for statement in sub.statements:
                    record_answer(s, questionnaire, info.analysis_id, info.rater_id, statement.id, value)
            save_note(s, questionnaire, info.analysis_id, "A1", note=SECRET_NOTE, action_needed=True)
        if join:
            groups.join_group(s, started.analysis_id, join)
        if submit:
            analyses.submit(s, started.analysis_id)
    return started


def _login(at: AppTest, code: str) -> AppTest:
    """Log in on the moderation page (which then switches to the dashboard)."""
    facilitator_login(at, code)
    if not at.error:
        assert at.title[0].value == GROUP_NAME  # st.switch_page to the dashboard
        _goto(at, "pages/dashboard.py")
    return at


def _five(db, questionnaire, created: groups.CreatedGroup, *, release: bool = False) -> list:
    """The five submitted analyses of FIVE in the group (k = 3: just enough); maybe released."""
    started = [_project(db, questionnaire, n, v, join=created.join_code, submit=True) for n, v in FIVE]
    if release:
        with db() as s:
            releases.release(s, created.group_id, questionnaire)
    return started


def _button_keys(at: AppTest) -> list[str]:
    return [b.key for b in at.button]


def _release(at: AppTest) -> AppTest:
    """Confirm that the release is final, then release on the dashboard (and see it whole, as the
    browser does once the first group radar is drawn: dashboard_rest)."""
    assert at.button(key="dashboard.release").disabled  # not without the confirmation
    at.checkbox(key=CONFIRM).check().run()
    assert not at.exception
    release = at.button(key="dashboard.release")
    assert not release.disabled
    release.click().run()
    assert not at.exception
    return dashboard_rest(at)


def _page_links(at: AppTest) -> list[tuple[str, str]]:
    """(label, url path) of every st.page_link on the page."""
    return [(link.proto.label, link.proto.page) for link in at.get("page_link")]


def _figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in charts(at)]


def _trace_names(at: AppTest) -> list[str]:
    return [trace.get("name", "") for fig in _figures(at) for trace in fig.get("data", [])]


def _slide_texts(app: AppTest) -> list[str]:
    """Markdown and raw HTML of a page (the slide title and counter are st.html)."""
    return [m.value for m in app.markdown] + [h.value for h in app.get("html")]


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
    # Refused, and told where the code belongs instead of only "unknown".
    assert "Das ist ein Moderationscode" in at.error[0].value
    assert "Seite „Moderation“" in at.error[0].value
    assert state.ANALYSIS_ID not in at.session_state
    assert state.GROUP_ID not in at.session_state
    at.text_input(key="start.code").input(created.join_code)
    at.button(key=RESUME_BUTTON).click().run()
    assert "Das ist ein Gruppen-Code" in at.error[0].value
    assert state.ANALYSIS_ID not in at.session_state


@pytest.mark.parametrize("page", ["pages/dashboard.py", "pages/presentation.py"])
def test_facilitator_pages_without_login_show_the_hint_and_no_data(at, db, questionnaire, page):
    created = _group(db, questionnaire)
    _five(db, questionnaire, created, release=True)
    at.run()
    at.switch_page(page).run()
    assert not at.exception
    assert "Diese Seite ist der Moderation vorbehalten" in at.info[0].value
    assert not at.dataframe and not at.metric and not charts(at)
    assert not any(GROUP_NAME in t or "Initiative Eins" in t for t in _texts(at))


# --- Dashboard ---------------------------------------------------------------------------------


def test_dashboard_one_short_of_the_gate_gives_the_reason_and_no_release_button(at, db, questionnaire):
    created = _group(db, questionnaire)
    for name, value in FIVE[:4]:
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    _project(db, questionnaire, "Sechs", "3", join=created.join_code)  # joined, still in progress
    _project(db, questionnaire, "Sieben", None, join=created.join_code)  # joined, not begun
    _login(at, created.facilitator_code)
    assert re.search(r"Es sind erst 4 von mindestens 5 Selbstanalysen\b.* abgeschlossen", _infos(at))
    assert "dashboard.release" not in _button_keys(at)
    assert CONFIRM not in [c.key for c in at.checkbox]
    assert [m.value for m in at.metric] == ["6", "4", "0"]
    table = at.dataframe[0].value
    assert sorted(table["Status"]) == [
        "abgeschlossen",
        "abgeschlossen",
        "abgeschlossen",
        "abgeschlossen",
        "in Bearbeitung",
        "noch nicht begonnen",
    ]
    assert "noch zu wenige Analysen für einen anonymen Vergleich (4 von mindestens 5)" in _infos(at)
    assert not charts(at)
    assert "dashboard.present" not in _button_keys(at)


def test_participation_table_shows_status_but_no_progress_numbers(at, db, questionnaire):
    created = _group(db, questionnaire)
    _project(db, questionnaire, "Eins", "4", join=created.join_code, submit=True)
    with db() as s:  # half of the statements answered: no page may say how many
        started = analyses.start_analysis(
            s, questionnaire, Profile(initiative="Initiative Halb", project="Halb")
        )
        info = analyses.analysis_info(s, started.analysis_id)
        statements = [st for sub in questionnaire.subcriteria for st in sub.statements]
        for statement in statements[: len(statements) // 2]:
            record_answer(s, questionnaire, info.analysis_id, info.rater_id, statement.id, "3")
        groups.join_group(s, started.analysis_id, created.join_code)
    _project(db, questionnaire, "Leer", None, join=created.join_code)
    _login(at, created.facilitator_code)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Initiative", "Projekt", "Status", "Abgeschlossen am", "Im Gruppenbild"]
    assert dict(zip(table["Projekt"], table["Status"], strict=True)) == {
        "Eins": "abgeschlossen",
        "Halb": "in Bearbeitung",
        "Leer": "noch nicht begonnen",
    }
    texts = "\n".join(_texts(at))
    assert "Fortschritt" not in texts
    half, total = len(statements) // 2, len(statements)
    for progress in (f"{half} von {total}", f"{half}/{total}", f"{round(100 * half / total)} %"):
        assert progress not in texts, progress
    assert any("keine Zahl beantworteter Aussagen" in c.value for c in at.caption)
    assert PRIVACY_LINK in _page_links(at)


def test_dashboard_with_five_submitted_releases_and_shows_picture_and_agenda(at, db, questionnaire):
    created = _group(db, questionnaire)
    _five(db, questionnaire, created)
    _login(at, created.facilitator_code)
    release = at.button(key="dashboard.release")
    assert release.label == "Gruppenbild mit 5 Analysen freigeben"
    assert release.disabled
    assert "endgültig" in at.checkbox(key=CONFIRM).label
    assert not charts(at)
    assert RELEASE_LOG not in [e.label for e in at.expander]  # nothing released yet
    _release(at)
    with db() as s:
        assert releases.latest_release(s, created.group_id).n_members == 5
    assert "dashboard.release" not in _button_keys(at)
    assert CONFIRM not in [c.key for c in at.checkbox]
    assert "Das Gruppenbild dieser Runde ist bereits freigegeben." in _infos(at)
    assert len(charts(at)) == 2  # radar and heat map tabs
    assert any(n == "Gruppe: mittlere 50 %" for n in _trace_names(at))
    assert [t.label for t in at.tabs] == ["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"]
    assert "Diskussionsagenda" in [s.value for s in at.subheader]
    assert at.expander, "the agenda lists its sub-criteria as expanders"
    labels = [e.label for e in at.expander]
    assert "**A1 Bedarf und Ausgangslage** · Median 3,0" in labels, labels  # median of 4, 2, 3, 3, 2
    assert "**A1 Bedarf und Ausgangslage** · mittlere 50 %: 2,0 bis 3,0" in labels, labels
    assert RELEASE_LOG in labels
    log = [t.value for t in at.table if "Analysen" in t.value.columns]
    assert len(log) == 1 and list(log[0]["Analysen"]) == [5] and list(log[0]["Stand"]) == ["gültig"]
    assert at.metric[2].value == "5"
    assert list(at.dataframe[0].value["Im Gruppenbild"]) == ["ja"] * 5
    assert "dashboard.present" in _button_keys(at)
    # Near the top: before the participation table, not after the whole dashboard.
    main = [getattr(e, "key", None) or getattr(e, "value", None) for e in at.main]
    assert main.index("dashboard.present") < main.index("Teilnahme")


def test_a_released_round_offers_no_second_release(at, db, questionnaire):
    created = _group(db, questionnaire)
    _five(db, questionnaire, created, release=True)
    _project(db, questionnaire, "Nachzügler", "4", join=created.join_code, submit=True)
    _login(at, created.facilitator_code)
    assert "dashboard.release" not in _button_keys(at)
    assert CONFIRM not in [c.key for c in at.checkbox]
    assert "Eine Freigabe ist endgültig" in _infos(at)
    assert [m.value for m in at.metric] == ["6", "6", "5"]  # the latecomer stays out of the picture
    table = at.dataframe[0].value
    assert dict(zip(table["Projekt"], table["Im Gruppenbild"], strict=True))["Nachzügler"] == "–"
    with db() as s, pytest.raises(groups.GroupError, match="bereits freigegeben"):
        releases.release(s, created.group_id, questionnaire)
    with db() as s:
        assert releases.latest_release(s, created.group_id).n_members == 5
        assert len(participation.release_log(s, created.group_id)) == 1


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
    assert not charts(at)
    assert list(at.dataframe[0].value.columns) == [
        "Initiative",
        "Projekt",
        "Status",
        "Abgeschlossen am",
        "Im Gruppenbild",
    ]

    # Released with four more projects: only group figures, still no single project's answers.
    for name in ("Zwei", "Drei", "Vier", "Fünf"):
        _project(db, questionnaire, name, "2", join=created.join_code, submit=True)
    at.run()
    _release(at)
    texts = "\n".join(_texts(at))
    for forbidden in [*labels, *statements, SECRET_NOTE]:
        assert forbidden not in texts, forbidden
    specs = "\n".join(chart.proto.spec for chart in charts(at))
    assert specs
    for project in ("Einzelprojekt", "Initiative Einzelprojekt", "Ihr Projekt", SECRET_NOTE):
        assert project not in specs


# --- Presentation ------------------------------------------------------------------------------


def test_presentation_renders_every_slide_with_n_and_k(at, db, questionnaire):
    created = _group(db, questionnaire)
    # Six analyses, one of them "weiß nicht" throughout: every statement keeps five ratings.
    for name, value in (*FIVE, ("Sechs", "dk")):
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    with db() as s:
        releases.release(s, created.group_id, questionnaire)
    _login(at, created.facilitator_code)
    at.button(key="dashboard.present").click().run()
    assert not at.exception
    assert any("slide-title" in v for v in _slide_texts(at))  # st.switch_page to the presentation
    _goto(at, "pages/presentation.py")
    deck = slides(questionnaire)
    assert len(deck) == 20
    seen = []
    for index, slide in enumerate(deck):
        assert not at.exception, slide.title
        markdown = "\n".join(_slide_texts(at))
        assert f"<h1 class='slide-title'>{slide.title}</h1>" in markdown, slide.title
        assert f"Folie {index + 1} / 20" in markdown
        if slide.kind != "agenda":  # every chart has its numbers as a table for screen readers
            assert "<table class='mq-sr-only'><caption>Diagramm: " in markdown, slide.title
        footer = [m.value for m in at.markdown if "slide-footer" in m.value]
        assert len(footer) == 1, slide.title
        assert "n = 6 abgeschlossene Analysen" in footer[0] and "k = 3" in footer[0], footer[0]
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
    assert "Folie 19 / 20" in "\n".join(_slide_texts(at))
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
    mine = _five(db, questionnaire, created, release=True)[0]
    _open_analysis(at, db, mine.analysis_id)
    control = at.segmented_control[0]
    assert control.label == "Vergleichen mit"
    assert control.value == "group"
    assert control.options == ["Workshopgruppe", "Region", "alle Gruppen"]
    assert "noch zu wenige" not in _infos(at)
    assert any("Workshopgruppe „Workshop Nordstadt“" in c.value and "n = 5" in c.value for c in at.caption)
    at.button_group(key="results.layers").set_value(["Median", "mittlere 50 %"]).run()
    names = _trace_names(at)
    assert [n for n in names if BAND.search(n) and n.startswith("Workshopgruppe")], names
    assert "Aussagen im Vergleich" in [s.value for s in at.subheader]
    assert at.session_state[state.SCOPE] == "group"
    charts_before = len(charts(at))
    at.selectbox(key="results.drill").select("A2").run()
    assert len(charts(at)) == charts_before + 1
    drill = json.loads(charts(at)[-1].proto.spec)
    counts = {t["name"]: sum(x or 0 for x in t["x"]) for t in drill["data"]}
    assert counts["trifft voll zu"] + counts["eher nicht"] + counts["eher zu"] >= 5 * 3  # 5 projects × A2


def test_results_of_a_released_group_show_the_release_log_and_the_privacy_link(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _five(db, questionnaire, created, release=True)[0]
    _open_analysis(at, db, mine.analysis_id)
    log = [e for e in at.expander if e.label == RELEASE_LOG]
    assert len(log) == 1
    tables = [t.value for t in log[0].table]
    assert len(tables) == 1
    row = tables[0].to_dict("records")[0]
    assert (row["Nr."], row["Runde"], row["Analysen"], row["Stand"]) == (1, 1, 5, "gültig")
    assert not any(name in str(v) for v in row.values() for name, _ in FIVE)  # no project names
    assert PRIVACY_LINK in _page_links(at)


def test_results_without_a_release_have_no_release_log(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _five(db, questionnaire, created)[0]
    _open_analysis(at, db, mine.analysis_id)
    assert RELEASE_LOG not in [e.label for e in at.expander]
    assert "Die Moderation hat das Gruppenbild noch nicht freigegeben." in _infos(at)


def test_results_one_short_of_the_gate_show_the_message_and_no_band(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _project(db, questionnaire, "Eins", "4", join=created.join_code, submit=True)
    for name, value in FIVE[1:4]:
        _project(db, questionnaire, name, value, join=created.join_code, submit=True)
    _open_analysis(at, db, mine.analysis_id)
    infos = _infos(at)
    assert "noch zu wenige Analysen für einen anonymen Vergleich (4 von mindestens 5)" in infos
    assert not [n for n in _trace_names(at) if BAND.search(n)]
    assert "Aussagen im Vergleich" not in [s.value for s in at.subheader]


def test_results_follow_the_presentation(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _five(db, questionnaire, created, release=True)[0]
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
    _five(db, questionnaire, created, release=True)
    _login(at, created.facilitator_code)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Gruppenbild als Excel (.xlsx)", "Kriterien als CSV"]
    with db() as s:
        group = groups.group_info(s, created.group_id)
        comparison = group_comparisons.comparisons(s, questionnaire, group, None)[group_comparisons.GROUP]
    book = load_workbook(io.BytesIO(exports.group_workbook(comparison, questionnaire)))
    assert book.sheetnames == ["Kriterien", "Aussagen"]
    rows = list(book["Kriterien"].values)
    assert rows[0][:5] == ("Kriterium", "Analysen (n)", "Median", "unteres Quartil", "oberes Quartil")
    assert all("Eins" not in str(cell) and "Zwei" not in str(cell) for row in rows for cell in row)


# --- Anonymity page ----------------------------------------------------------------------------


def test_the_anonymity_page_explains_the_rules(at):
    at.run()
    _goto(at, "pages/privacy.py")
    assert not at.exception
    assert at.title[0].value == PRIVACY_TITLE
    text = "\n".join(m.value for m in at.markdown)
    assert "mindestens 5 Bewertungen" in text  # 2k − 1 for the default k = 3
    assert "Ein Gruppenbild pro Runde, endgültig." in text
    assert "noch nicht begonnen" in text and RELEASE_LOG in text


def test_joining_a_group_switches_the_comparison_to_the_group(at, db, questionnaire):
    released = _group(db, questionnaire)
    _five(db, questionnaire, released, release=True)  # "alle Gruppen" can be drawn
    with db() as s:
        other = groups.create_group(s, questionnaire, GroupSpec("Workshop Südstadt", "Südregion", k=3))
    mine = _project(db, questionnaire, "Robotik-AG", "3", submit=True)
    _open_analysis(at, db, mine.analysis_id)
    assert at.session_state[state.SCOPE] == "instance"
    at.text_input(key="results.join_code").input(other.join_code)
    at.button(key=JOIN_BUTTON).click().run()
    assert not at.exception
    assert at.session_state[state.SCOPE] == "group"  # why one joins: the workshop's own picture
    assert "Workshopgruppe" in _infos(at)
    at.run()
    assert at.session_state[state.SCOPE] == "group"
    # The user's own choice afterwards sticks.
    at.segmented_control[0].set_value("instance").run()
    assert at.session_state[state.SCOPE] == "instance"
    at.run()
    assert at.session_state[state.SCOPE] == "instance"


def test_radar_layers_can_be_switched_median_shown_by_default(at, db, questionnaire):
    created = _group(db, questionnaire)
    mine = _five(db, questionnaire, created, release=True)[0]
    _open_analysis(at, db, mine.analysis_id)
    radar = _figures(at)[0]
    names = [t.get("name", "") for t in radar["data"]]
    assert "Ihr Projekt" in names and "Workshopgruppe: Median" in names
    assert not [n for n in names if BAND.search(n)]  # the band only on demand: a calmer radar
    at.button_group(key="results.layers").set_value(["Median", "mittlere 50 %"]).run()
    names = [t.get("name", "") for t in _figures(at)[0]["data"]]
    assert "Workshopgruppe: mittlere 50 %" in names and "Workshopgruppe: Median" in names
    at.button_group(key="results.layers").set_value([]).run()
    names = [t.get("name", "") for t in _figures(at)[0]["data"]]
    assert "Ihr Projekt" in names and not [n for n in names if n.startswith("Workshopgruppe")]
    assert any("Farbige Ringe" in m.value and "Entwicklungsfeld" in m.value for m in at.markdown)
