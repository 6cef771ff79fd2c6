"""Hostile names, notes and measures show literally on every page: no heading, image, HTML or table."""

from __future__ import annotations

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from mintqo.domain.measures import MeasureSpec
from mintqo.domain.plaintext import html, md
from mintqo.domain.profile import Profile
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups, logins, measures, team
from mintqo.services import answers as answer_service
from mintqo.ui import state
from tests.support.app_pages import facilitator_login, results_rest

HOSTILE = "# Überschrift ![x](http://example.org/x.png) <b>fett</b> :red[rot] $x$ | a | b |"
INITIATIVE = "**Initiative** <img src=x onerror=alert(1)> :smile:"
MEMBER = "[Bea](http://example.org) _B_"
NOTE = "- Punkt\x0b<script>alert(1)</script>\n> Zitat ![y](http://example.org/y.png)"
MEASURE = '=HYPERLINK("http://example.org/x";"klick") :blue[blau]'
REGION = "Region :red[Nord] ![z](http://example.org/z.png)"
# Markup that must never reach a Markdown element unescaped.
RAW = ("![", "](http", "<b>", "<img", "<script", ":red[", ":blue[", "$x$", "| a |", "**Initiative**")


def _texts(at: AppTest) -> list[str]:
    """What the page renders as Markdown: titles, headers, markdown, captions, alerts, expander labels."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success")
    out = [e.value for kind in kinds for e in getattr(at, kind)]
    return out + [e.label for e in at.expander] + [t.label for t in at.tabs]


def _assert_literal(at: AppTest, *texts: str) -> None:
    assert not at.exception
    shown = _texts(at) + [
        e.value for kind in ("title", "markdown", "caption") for e in getattr(at.sidebar, kind)
    ]
    joined = "\n".join(shown)
    for text in texts:
        assert md(text) in joined, text
    for raw in RAW:
        assert not re.search(r"(?<!\\)" + re.escape(raw), joined), raw  # only escaped: "\\<img"


def _analysis(db, questionnaire) -> tuple[int, int]:
    with db() as s:
        started = analyses.start_analysis(s, questionnaire, Profile(initiative=INITIATIVE, project=HOSTILE))
        info = analyses.analysis_info(s, started.analysis_id)
        aid = info.analysis_id
        bea = team.member(s, aid, MEMBER)
        for rater, value in ((info.rater_id, "4"), (bea, "1")):
            answer_service.record_answer(s, questionnaire, aid, rater, "A1.1", value)
        team.agree(s, questionnaire, aid, "A1.1", "2", "Weil ![r](http://example.org/r.png) <i>so</i>")
        answer_service.save_note(s, questionnaire, aid, "A1", note=NOTE, action_needed=True)
        measures.add_measure(s, questionnaire, aid, MeasureSpec("A1", MEASURE, MEMBER, note=NOTE))
    return aid, bea


def _open(at: AppTest, db, analysis_id: int, page: str, rater_id: int | None = None) -> AppTest:
    with db() as s:
        token = logins.open_login_session(s, analysis_id, 1, rater_id)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    at.switch_page(page).run()
    return results_rest(at)


def test_project_initiative_note_and_member_names_show_literally_on_every_page(at, db, questionnaire):
    aid, _ = _analysis(db, questionnaire)
    _open(at, db, aid, "pages/start.py")
    _assert_literal(at, HOSTILE, INITIATIVE)
    for page in ("pages/prepare.py", "pages/results.py", "pages/measures.py", "pages/delete.py"):
        results_rest(at.switch_page(page).run())
        _assert_literal(at, HOSTILE, INITIATIVE)
    at.switch_page("pages/results.py").run()
    cleaned_note = NOTE.replace("\x0b", "\n")
    _assert_literal(at, cleaned_note)
    at.switch_page("pages/team.py").run()
    _assert_literal(at, HOSTILE, INITIATIVE, MEMBER, "Weil ![r](http://example.org/r.png) <i>so</i>")
    # The measures table is a data frame: plain cells, the stored text exactly as typed.
    at.switch_page("pages/measures.py").run()
    table = at.dataframe[0].value
    assert MEASURE in list(table["Was"]) and cleaned_note in list(table["Notiz"])
    assert MEMBER in list(table["Wer"])


def test_group_name_and_region_show_literally_on_dashboard_presentation_and_results(at, db, questionnaire):
    aid, _ = _analysis(db, questionnaire)
    with db() as s:
        created = groups.create_group(s, questionnaire, GroupSpec(HOSTILE, REGION, k=3))
        groups.join_group(s, aid, created.join_code)
    facilitator_login(at, created.facilitator_code)
    at.switch_page("pages/dashboard.py").run()
    assert at.title[0].value == md(HOSTILE)
    _assert_literal(at, HOSTILE, REGION)
    at.switch_page("pages/moderation.py").run()
    _assert_literal(at, HOSTILE, REGION)
    at.switch_page("pages/presentation.py").run()
    assert not at.exception
    footer = next(m.value for m in at.markdown if "slide-footer" in m.value)
    assert html(HOSTILE) in footer and "<b>fett" not in footer and "<img" not in footer
    # A participant of the group sees the group's name in the comparison, literally.
    participant = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=60)
    _open(participant, db, aid, "pages/results.py")
    _assert_literal(participant, HOSTILE)


def test_a_member_sees_their_own_hostile_name_literally_while_rating(at, db, questionnaire):
    aid, bea = _analysis(db, questionnaire)
    _open(at, db, aid, "pages/assess.py", bea)
    _assert_literal(at, MEMBER)
    results_rest(at.switch_page("pages/results.py").run())
    _assert_literal(at, HOSTILE, INITIATIVE, MEMBER)
