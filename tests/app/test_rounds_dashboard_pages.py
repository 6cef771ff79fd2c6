"""Rounds through app.py with AppTest: the next round from the results page, the before/after
radar and change table of round 2, and the dashboard's round switch, release and part 3."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from mintqo.domain.measures import MeasureSpec
from mintqo.domain.plaintext import md
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups, logins, measures, releases, rounds, team
from mintqo.services.answers import answers_of, record_answer
from mintqo.services.demo import create_demo, create_demo_group
from mintqo.ui import state
from tests.support.app_pages import charts, dashboard_rest, facilitator_login, results_rest
from tests.support.app_pages import goto as _goto
from tests.support.app_pages import open_analysis as _open_analysis

GROUP_NAME = "Workshop Südufer"
CHANGES = "Was hat sich verändert? Runde 1 → Runde 2"
MEASURES_COLUMN = "Maßnahmen der vorigen Runde"
PART3 = "Teil 3: Was hat sich verändert?"
SHIFT_COLUMN = "Median-Verschiebung seit Runde 1"


# --- Setting up data through the services ----------------------------------------------------


def _values(q: Questionnaire, value: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Every statement answered `value`, except per sub-criterion `overrides` (id → value)."""
    overrides = overrides or {}
    return {st.id: overrides.get(sub.id, value) for sub in q.subcriteria for st in sub.statements}


def _answer(s: Session, q: Questionnaire, analysis_id: int, values: dict[str, str]) -> None:
    info = analyses.analysis_info(s, analysis_id)
    for sid, value in values.items():
        record_answer(s, q, analysis_id, info.rater_id, sid, value)


def _project(db, q: Questionnaire, name: str, values: dict[str, str], *, join: str | None = None):
    """A submitted round-1 analysis with the given answers (optionally in a workshop group)."""
    with db() as s:
        started = analyses.start_analysis(s, q, Profile(initiative=f"Initiative {name}", project=name))
        _answer(s, q, started.analysis_id, values)
        if join:
            groups.join_group(s, started.analysis_id, join)
        analyses.submit(s, started.analysis_id)
    return started


def _measure(db, q: Questionnaire, analysis_id: int, sub_id: str, what: str, status: str) -> None:
    with db() as s:
        measures.add_measure(s, q, analysis_id, MeasureSpec(sub_id, what, "Team", None, status))


def _round_two(db, q: Questionnaire, analysis_id: int, values: dict[str, str], *, submit: bool = True) -> int:
    """Start round 2 of the analysis's project (pre-filled), change answers, maybe submit."""
    with db() as s:
        project_id = analyses.analysis_info(s, analysis_id).project_id
        new_id = rounds.start_next_round(s, q, q, project_id, prefill=True)
        _answer(s, q, new_id, values)
        if submit:
            analyses.submit(s, new_id)
    return new_id


# --- AppTest helpers -------------------------------------------------------------------------


def _login(at: AppTest, code: str) -> AppTest:
    """Log in on the moderation page and land on the dashboard."""
    facilitator_login(at, code)
    assert at.title[0].value == GROUP_NAME
    return _goto(at, "pages/dashboard.py")


def _radar(at: AppTest) -> dict[str, dict[str, float | None]]:
    """The results radar's line traces: name → {sub-criterion id: r}."""
    fig = json.loads(charts(at)[0].proto.spec)
    out = {}
    for trace in fig["data"]:
        if trace.get("type") != "scatterpolar" or "theta" not in trace:
            continue
        ids = [re.match(r"<b>([A-Z]\d+)</b>", t).group(1) for t in trace["theta"]]
        out[trace.get("name", "")] = dict(zip(ids, trace["r"], strict=True))
    return out


def _table(at: AppTest, column: str):
    """The st.table that has a column of this name."""
    found = [t.value for t in at.table if column in t.value.columns]
    assert len(found) == 1, [list(t.value.columns) for t in at.table]
    return found[0]


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def _infos(at: AppTest) -> str:
    return "\n".join(i.value for i in at.info)


# --- Starting the next round from the results page -------------------------------------------


def test_next_round_with_prefill_opens_the_walkthrough_with_the_answers(at, db, questionnaire):
    values = _values(questionnaire, "3", {"A1": "2", "C2": "dk"})
    started = _project(db, questionnaire, "Robotik-AG", values)
    _open_analysis(at, db, started.analysis_id)
    assert "Runde 2 beginnen" in [e.label for e in at.expander]
    prefill = at.checkbox(key="results.prefill")
    assert prefill.label == "Antworten aus Runde 1 übernehmen und überarbeiten"
    assert prefill.value is True
    button = at.button(key="results.next_round")
    assert button.label == "Runde 2 starten"
    button.click().run()
    assert not at.exception
    assert not at.error

    new_id = at.session_state[state.ANALYSIS_ID]
    assert new_id != started.analysis_id
    with db() as s:
        info = analyses.analysis_info(s, new_id)
        assert (info.round, info.status, info.project_id) == (2, "draft", _project_id(s, started))
        assert answers_of(s, new_id, info.rater_id) == values
        assert analyses.analysis_info(s, started.analysis_id).submitted  # round 1 stays as it was
    # The app switched to the walkthrough, on its first step, with the answers carried over.
    assert at.header[0].value == "A1 Bedarf und Ausgangslage"
    assert "60 von 60 Aussagen beantwortet" in at.get("progress")[0].proto.text
    assert at.radio(key="assess.q.A1.1").value == "2"
    assert at.radio(key="assess.q.A1.1").disabled is False
    _goto(at, "pages/assess.py")
    assert not at.exception
    at.radio(key="assess.q.A1.1").set_value("4").run()
    with db() as s:
        assert answers_of(s, new_id, info.rater_id)["A1.1"] == "4"
        rater = analyses.analysis_info(s, started.analysis_id).rater_id
        assert answers_of(s, started.analysis_id, rater)["A1.1"] == "2"  # round 1 unchanged


def _project_id(s: Session, started: analyses.Started) -> int:
    return analyses.analysis_info(s, started.analysis_id).project_id


def test_next_round_without_prefill_starts_empty(at, db, questionnaire):
    started = _project(db, questionnaire, "Robotik-AG", _values(questionnaire, "3"))
    _open_analysis(at, db, started.analysis_id)
    at.checkbox(key="results.prefill").uncheck().run()
    at.button(key="results.next_round").click().run()
    assert not at.exception
    new_id = at.session_state[state.ANALYSIS_ID]
    with db() as s:
        info = analyses.analysis_info(s, new_id)
        assert info.round == 2 and not info.submitted
        assert answers_of(s, new_id, info.rater_id) == {}
    assert at.header[0].value == "A1 Bedarf und Ausgangslage"
    assert "0 von 60 Aussagen beantwortet" in at.get("progress")[0].proto.text
    assert at.radio(key="assess.q.A1.1").value is None


def test_next_round_is_offered_only_once_submitted(at, db, questionnaire):
    with db() as s:
        started = analyses.start_analysis(s, questionnaire, Profile(initiative="Ini", project="Entwurf"))
        _answer(s, questionnaire, started.analysis_id, _values(questionnaire, "3"))
    _open_analysis(at, db, started.analysis_id)
    assert "Runde 2 beginnen" not in [e.label for e in at.expander]
    assert "results.next_round" not in [b.key for b in at.button]


# --- Round 2 results: before/after radar and change table ------------------------------------


def test_round_two_results_show_the_previous_round_and_the_change_table(at, db, questionnaire):
    started = _project(db, questionnaire, "Robotik-AG", _values(questionnaire, "2"))
    _measure(db, questionnaire, started.analysis_id, "C2", "Vorher-Nachher-Fragebogen", "umgesetzt")
    _measure(db, questionnaire, started.analysis_id, "C2", "Elterngespräch", "verworfen")
    _measure(db, questionnaire, started.analysis_id, "B1", "Kooperationsvertrag", "geplant")
    new_id = _round_two(db, questionnaire, started.analysis_id, _values(questionnaire, "2", {"C2": "4"}))
    _measure(db, questionnaire, new_id, "C3", "Neue Maßnahme aus Runde 2", "geplant")

    _open_analysis(at, db, new_id)
    markdown = "\n".join(m.value for m in at.markdown)
    assert "· Runde 2" in markdown
    assert set(_radar(at)) == {"Ihr Projekt"}  # a calm radar: the earlier round is a layer to switch on
    at.button_group(key="results.layers").set_value(["Runde 1"]).run()
    radar = _radar(at)
    assert {"Ihr Projekt", "Runde 1"} <= set(radar), list(radar)
    assert radar["Runde 1"]["C2"] == 2.0 and radar["Ihr Projekt"]["C2"] == 4.0
    assert radar["Runde 1"]["A1"] == radar["Ihr Projekt"]["A1"] == 2.0

    assert CHANGES in _subheaders(at)
    table = _table(at, MEASURES_COLUMN)
    assert list(table.columns) == ["Unterkriterium", "Runde 1", "Runde 2", "Veränderung", MEASURES_COLUMN]
    assert len(table) == len(questionnaire.subcriteria)
    rows = {row["Unterkriterium"].split()[0]: row for row in table.to_dict("records")}
    assert (rows["C2"]["Runde 1"], rows["C2"]["Runde 2"], rows["C2"]["Veränderung"]) == ("2,0", "4,0", "+2,0")
    assert rows["A1"]["Veränderung"] == "±0,0"
    # Round 1's measures as a check-in, with their status; a measure of round 2 is not "previous".
    assert (
        rows["C2"][MEASURES_COLUMN]
        == md("Vorher-Nachher-Fragebogen") + " (umgesetzt); Elterngespräch (verworfen)"
    )
    assert rows["B1"][MEASURES_COLUMN] == "Kooperationsvertrag (geplant)"
    assert rows["C3"][MEASURES_COLUMN] == "–"
    assert rows["A1"][MEASURES_COLUMN] == "–"


def test_round_one_results_have_no_previous_round(at, db, questionnaire):
    started = _project(db, questionnaire, "Robotik-AG", _values(questionnaire, "3"))
    _open_analysis(at, db, started.analysis_id)
    assert set(_radar(at)) == {"Ihr Projekt"}
    assert CHANGES not in _subheaders(at)
    assert not [t for t in at.table if MEASURES_COLUMN in t.value.columns]


# --- Dashboard: round switch, release of round 2, part 3 -------------------------------------


def _group_with_rounds(
    db, q: Questionnaire, *, projects: int = 5, continuing: int = 5, submit_second: int = 5
) -> groups.CreatedGroup:
    """k = 3 (gate 2k − 1 = 5); `projects` projects rated 2 everywhere, the first four with a measure
    on C2, released in round 1. The first `continuing` of them start round 2 (C2 and C3 rated 4)
    and `submit_second` of those submit."""
    with db() as s:
        created = groups.create_group(s, q, GroupSpec(GROUP_NAME, "Südregion", k=3))
    started = [
        _project(db, q, name, _values(q, "2"), join=created.join_code)
        for name in ("Eins", "Zwei", "Drei", "Vier", "Fünf", "Sechs")[:projects]
    ]
    statuses = ("umgesetzt", "umgesetzt", "begonnen", "geplant")
    for index, project in enumerate(started[: len(statuses)]):
        _measure(db, q, project.analysis_id, "C2", f"Maßnahme {index}", statuses[index])
    with db() as s:
        releases.release(s, created.group_id, q)
    for index, project in enumerate(started[:continuing]):
        values = _values(q, "2", {"C2": "4", "C3": "4"})
        _round_two(db, q, project.analysis_id, values, submit=index < submit_second)
    return created


def _release(at: AppTest) -> AppTest:
    """Confirm that the release is final, then release on the dashboard (and see it whole, as the
    browser does once the first group radar is drawn: dashboard_rest)."""
    assert at.button(key="dashboard.release").disabled
    at.checkbox(key="dashboard.release_confirm").check().run()
    at.button(key="dashboard.release").click().run()
    assert not at.exception
    return dashboard_rest(at)


def test_dashboard_switches_rounds_releases_round_two_and_shows_part_three(at, db, questionnaire):
    created = _group_with_rounds(db, questionnaire)
    _login(at, created.facilitator_code)
    switch = at.segmented_control(key="dashboard.round")
    assert switch.label == "Runde"
    assert switch.options == ["Runde 1", "Runde 2"]
    assert switch.value == 2
    assert at.metric[0].label == "Projekte in Runde 2"
    assert [m.value for m in at.metric] == ["5", "5", "0"]
    assert "Es sind erst" not in _infos(at)
    release = at.button(key="dashboard.release")
    assert release.label == "Gruppenbild mit 5 Analysen freigeben"
    assert PART3 not in _subheaders(at)

    _release(at)
    with db() as s:
        assert releases.latest_release(s, created.group_id, 2).n_members == 5
        assert releases.latest_release(s, created.group_id, 1).n_members == 5
    assert at.segmented_control(key="dashboard.round").value == 2
    assert "Gruppenbild · Runde 2" in _subheaders(at)
    assert [m.value for m in at.metric] == ["5", "5", "5"]
    assert "dashboard.release" not in [b.key for b in at.button]  # round 2 is released once
    assert PART3 in _subheaders(at)
    table = _table(at, SHIFT_COLUMN)
    rows = {row["Unterkriterium"].split()[0]: row for row in table.to_dict("records")}
    assert len(rows) == len(questionnaire.subcriteria)
    assert rows["C2"][SHIFT_COLUMN] == "+2,0"
    assert rows["C3"][SHIFT_COLUMN] == "+2,0"
    assert rows["A1"][SHIFT_COLUMN] == "±0,0"
    counts = {
        status: int(rows["C2"][f"Maßnahmen {status}"]) for status in ("geplant", "begonnen", "umgesetzt")
    }
    assert counts == {"geplant": 1, "begonnen": 1, "umgesetzt": 2}
    assert int(rows["A1"]["Maßnahmen umgesetzt"]) == 0

    # Back to round 1: its own picture of five analyses, released already, no shift column.
    at.segmented_control(key="dashboard.round").set_value(1).run()
    assert not at.exception
    assert "Gruppenbild · Runde 1" in _subheaders(at)
    assert [m.value for m in at.metric] == ["5", "5", "5"]
    assert "dashboard.release" not in [b.key for b in at.button]
    assert "Das Gruppenbild dieser Runde ist bereits freigegeben." in _infos(at)
    assert not [t for t in at.table if SHIFT_COLUMN in t.value.columns]


def test_round_two_carries_a_project_without_a_new_analysis(at, db, questionnaire):
    # Six projects in round 1, five of them in round 2: the sixth keeps its released round-1
    # state, so both pictures hold the same projects and a difference names no one.
    created = _group_with_rounds(db, questionnaire, projects=6, continuing=5)
    _login(at, created.facilitator_code)
    assert [m.value for m in at.metric] == ["5", "5", "0"]
    assert any("keine neue Selbstanalyse" in c.value for c in at.caption)
    assert not any("nicht dieselben Projekte" in w.value for w in at.warning)
    assert at.button(key="dashboard.release").label == "Gruppenbild mit 6 Analysen freigeben"
    _release(at)
    with db() as s:
        latest = releases.latest_release(s, created.group_id, 2)
        assert (latest.n_members, latest.carried) == (6, 1)
    assert any("1 davon mit Stand Runde 1" in c.value for c in at.caption)
    table = _table(at, SHIFT_COLUMN)
    rows = {row["Unterkriterium"].split()[0]: row for row in table.to_dict("records")}
    assert rows["A1"][SHIFT_COLUMN] == "±0,0"
    assert rows["C2"][SHIFT_COLUMN] == "+2,0"  # five of six changed to 4: the median moves to 4
    assert rows["C3"][SHIFT_COLUMN] == "+2,0"


def test_a_carried_project_does_not_count_towards_the_gate(at, db, questionnaire):
    # Five projects in round 1, only four of them submit round 2: with the fifth carried the
    # picture would hold five, but only four fresh analyses – too few to hide a change.
    created = _group_with_rounds(db, questionnaire, continuing=4)
    _login(at, created.facilitator_code)
    assert [m.value for m in at.metric] == ["4", "4", "0"]
    assert "Es sind erst 4 von mindestens 5 Selbstanalysen dieser Runde abgeschlossen" in _infos(at)
    assert "dashboard.release" not in [b.key for b in at.button]


def test_a_project_that_joined_after_round_one_stays_out_of_round_two(at, db, questionnaire):
    created = _group_with_rounds(db, questionnaire)
    late = _project(db, questionnaire, "Nachzügler", _values(questionnaire, "1"), join=created.join_code)
    _round_two(db, questionnaire, late.analysis_id, _values(questionnaire, "1"))
    _login(at, created.facilitator_code)
    assert [m.value for m in at.metric] == ["6", "6", "0"]
    assert any("nicht dabei waren" in c.value for c in at.caption)
    assert at.button(key="dashboard.release").label == "Gruppenbild mit 5 Analysen freigeben"
    _release(at)
    with db() as s:
        assert releases.latest_release(s, created.group_id, 2).n_members == 5
    table = at.dataframe[0].value
    assert dict(zip(table["Projekt"], table["Im Gruppenbild"], strict=True))["Nachzügler"] == "–"
    rows = {row["Unterkriterium"].split()[0]: row for row in _table(at, SHIFT_COLUMN).to_dict("records")}
    assert rows["A1"][SHIFT_COLUMN] == "±0,0"  # the newcomer's 1s are in neither picture


def test_dashboard_refuses_round_two_release_below_k(at, db, questionnaire):
    created = _group_with_rounds(db, questionnaire, submit_second=4)  # the fifth is still a draft
    _login(at, created.facilitator_code)
    switch = at.segmented_control(key="dashboard.round")
    assert switch.options == ["Runde 1", "Runde 2"] and switch.value == 2
    assert [m.value for m in at.metric] == ["5", "4", "0"]
    assert "Es sind erst 4 von mindestens 5 Selbstanalysen dieser Runde abgeschlossen" in _infos(at)
    assert "dashboard.release" not in [b.key for b in at.button]
    assert PART3 not in _subheaders(at)
    assert not [t for t in at.table if SHIFT_COLUMN in t.value.columns]
    texts = "\n".join([*_subheaders(at), *(m.value for m in at.markdown), *(c.value for c in at.caption)])
    assert "Median-Verschiebung" not in texts and "+2,0" not in texts
    with db() as s, pytest.raises(groups.GroupError, match="Es sind erst 4 von mindestens 5"):
        releases.release(s, created.group_id, questionnaire, round_no=2)
    with db() as s:
        assert releases.latest_release(s, created.group_id, 2) is None


# --- Team size on the results page -----------------------------------------------------------


def test_results_count_only_members_who_rated(at, db, questionnaire):
    """The default member "Team" of the person who started has not rated: two people rated."""
    with db() as s:
        started = analyses.start_analysis(s, questionnaire, Profile(initiative="Ini", project="Teamprojekt"))
        for name, value in (("Alex", "4"), ("Bea", "2")):
            rater = team.member(s, started.analysis_id, name)
            for sid, v in _values(questionnaire, value).items():
                record_answer(s, questionnaire, started.analysis_id, rater, sid, v)
        alex = team.member(s, started.analysis_id, "Alex")
        token = logins.open_login_session(s, started.analysis_id, 1, alex)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    results_rest(_goto(at, "pages/results.py"))
    captions = [c.value for c in at.caption if "Personen haben bewertet" in c.value]
    assert captions and captions[0].startswith("2 Personen haben bewertet."), captions


def test_older_round_does_not_offer_a_mislabelled_next_round(at, db, questionnaire):
    started = _project(db, questionnaire, "Robotik-AG", _values(questionnaire, "3"))
    _round_two(db, questionnaire, started.analysis_id, _values(questionnaire, "4"))
    _open_analysis(at, db, started.analysis_id)  # e.g. Bea's tab, still on round 1
    assert "· Runde 1" in "\n".join(m.value for m in at.markdown)
    assert not [b for b in at.button if b.key == "results.next_round"]
    assert any("bereits Runde 2" in i.value for i in at.info)


# --- The demo group --------------------------------------------------------------------------


def test_demo_group_has_both_rounds_released_and_offers_no_release(at, db, questionnaire):
    with db() as s:
        demo = create_demo_group(s, questionnaire, create_demo(s, questionnaire))
    facilitator_login(at, demo.facilitator_code)
    _goto(at, "pages/dashboard.py")
    assert at.segmented_control(key="dashboard.round").options == ["Runde 1", "Runde 2"]
    for round_no in (2, 1):
        at.segmented_control(key="dashboard.round").set_value(round_no).run()
        assert not at.exception
        assert f"Gruppenbild · Runde {round_no}" in _subheaders(at)
        assert "dashboard.release" not in [b.key for b in at.button]
        assert "Das Gruppenbild dieser Runde ist bereits freigegeben." in _infos(at)
        assert at.metric[2].value == "8"  # round 2: five new analyses, three carried
    log = [t.value for t in at.table if "Analysen" in t.value.columns]
    assert len(log) == 1 and list(log[0]["Runde"]) == [1, 2] and list(log[0]["Analysen"]) == [8, 8]
