"""Team rating and measures end to end on SQLite (and PostgreSQL when configured)."""

from __future__ import annotations

import re
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session

from alembic import command
from mintqo.db.engine import alembic_config, make_engine, session_factory
from mintqo.db.models import Consensus, Measure, Rater
from mintqo.domain.codes import hash_token
from mintqo.domain.histograms import contribution, histograms_of
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import score_analysis
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups, logins, measures, releases, rounds, team
from mintqo.services.analyses import AnalysisError
from mintqo.services.answers import answers_of, record_answer, save_note
from tests.support import group_oracle as oracle
from tests.support import tokens

NAME_TOO_SHORT = "Bitte geben Sie Ihren Vornamen oder ein Kürzel an (mindestens 2 Zeichen)."


def _start(session: Session, q: Questionnaire, name: str = "A") -> analyses.AnalysisInfo:
    started = analyses.start_analysis(session, q, Profile(f"Initiative {name}", f"Projekt {name}", "Nord"))
    return analyses.analysis_info(session, started.analysis_id)


def _rate(session: Session, q: Questionnaire, aid: int, rid: int, answers: dict[str, str]) -> None:
    for sid, value in answers.items():
        record_answer(session, q, aid, rid, sid, value)


def _team(session: Session, q: Questionnaire, name: str = "A") -> tuple[analyses.AnalysisInfo, int, int]:
    """An analysis with two named members besides the default rater "Team"."""
    info = _start(session, q, name)
    return info, team.member(session, info.analysis_id, "Alex"), team.member(session, info.analysis_id, "Bea")


# --- members ---------------------------------------------------------------------------------------------


def test_the_first_member_can_be_named_and_everyone_renamed(session, questionnaire):
    q = questionnaire
    info, alex, _bea = _team(session, q)
    aid = info.analysis_id
    assert team.rename(session, aid, info.rater_id, "  Chris ") == "Chris"
    assert analyses.analysis_info(session, aid).rater_name == "Chris"
    # Logging in again with the new name reaches the same person.
    assert team.member(session, aid, "chris") == info.rater_id
    with pytest.raises(AnalysisError, match="heißt schon jemand"):
        team.rename(session, aid, alex, "BEA")
    with pytest.raises(AnalysisError, match="mindestens 2 Zeichen"):
        team.rename(session, aid, alex, " ")
    other = _start(session, q, "B")
    with pytest.raises(AnalysisError, match="gibt es in dieser Selbstanalyse nicht"):
        team.rename(session, other.analysis_id, alex, "Alexa")  # only within its own analysis
    assert team.rename(session, aid, alex, "alex") == "alex"  # a change of case is fine
    assert list(team.team_view(session, q, aid).raters.values()) == ["Chris", "alex", "Bea"]


def test_agreed_divergences_count_as_agreed_not_open(session, questionnaire):
    q = questionnaire
    info, alex, bea = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4", "A1.2": "1", "A1.3": "3"})
    _rate(session, q, aid, bea, {"A1.1": "1", "A1.2": "4", "A1.3": "3"})
    view = team.team_view(session, q, aid)
    assert (view.open_count, view.agreed_count, len(view.divergent)) == (2, 0, 2)
    team.agree(session, q, aid, "A1.1", "3", "besprochen")
    view = team.team_view(session, q, aid)
    assert (view.open_count, view.agreed_count, len(view.divergent)) == (1, 1, 2)
    assert [s.statement_id for s in view.statements if s.open] == ["A1.2"]


def test_member_creates_and_reuses_raters_by_name(session, questionnaire):
    info = _start(session, questionnaire)
    aid = info.analysis_id
    assert (info.rater_name, info.team_size) == (analyses.DEFAULT_RATER, 1)
    alex = team.member(session, aid, "  Alex ")
    assert alex != info.rater_id
    assert team.member(session, aid, "Alex") == alex
    assert team.member(session, aid, "Alex\t") == alex
    bea = team.member(session, aid, "Bea")
    assert len({info.rater_id, alex, bea}) == 3
    assert analyses.analysis_info(session, aid, alex).rater_name == "Alex"
    assert analyses.analysis_info(session, aid, bea).rater_name == "Bea"
    assert analyses.analysis_info(session, aid, 10_000).rater_name == analyses.DEFAULT_RATER
    # The same name in another project is another person.
    other = _start(session, questionnaire, "B")
    assert team.member(session, other.analysis_id, "Alex") not in {alex, bea, other.rater_id}
    n_raters = session.scalar(select(func.count()).select_from(Rater))
    for bad, message in (("", NAME_TOO_SHORT), ("  A ", NAME_TOO_SHORT), ("x" * 41, "höchstens 40 Zeichen")):
        with pytest.raises(AnalysisError, match=re.escape(message)):
            team.member(session, aid, bad)
    assert session.scalar(select(func.count()).select_from(Rater)) == n_raters
    assert analyses.analysis_info(session, aid, bea).members == 3


def test_members_answers_stay_separate(session, questionnaire):
    q = questionnaire
    info, alex, bea = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4", "A1.2": "dk", "B1.1": "2"})
    _rate(session, q, aid, bea, {"A1.1": "1", "A1.3": "na"})
    record_answer(session, q, aid, alex, "B1.1", None)
    assert answers_of(session, aid, alex) == {"A1.1": "4", "A1.2": "dk"}
    assert answers_of(session, aid, bea) == {"A1.1": "1", "A1.3": "na"}
    assert answers_of(session, aid, info.rater_id) == {}


def test_team_view_lists_members_and_flags_divergence(session, questionnaire):
    q = questionnaire
    info, alex, bea = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4", "A1.2": "3", "A1.3": "dk", "A1.4": "na", "B1.1": "1"})
    _rate(session, q, aid, bea, {"A1.1": "2", "A1.2": "2", "A1.3": "3", "A1.4": "dk", "B1.2": "4"})
    view = team.team_view(session, q, aid)
    assert view.raters == {info.rater_id: "Team", alex: "Alex", bea: "Bea"}
    assert list(view.raters) == sorted(view.raters)
    assert [s.statement_id for s in view.statements] == [s.id for s in q.statements()]
    assert [s.statement_id for s in view.divergent] == ["A1.1", "A1.3"]
    a11 = next(s for s in view.statements if s.statement_id == "A1.1")
    assert dict(a11.by_rater) == {alex: "4", bea: "2"} and a11.counts == "2" and a11.agreed is None
    a14 = next(s for s in view.statements if s.statement_id == "A1.4")
    assert not a14.divergent and a14.counts == "dk"
    b12 = next(s for s in view.statements if s.statement_id == "B1.2")
    assert dict(b12.by_rater) == {bea: "4"} and not b12.divergent


# --- agreeing --------------------------------------------------------------------------------------------


def _agreed(session: Session, q: Questionnaire, aid: int) -> dict[str, tuple[str, str]]:
    return {
        s.statement_id: (s.agreed, s.reason) for s in team.team_view(session, q, aid).statements if s.agreed
    }


def test_agree_records_overwrites_and_withdraws(session, questionnaire):
    q = questionnaire
    info, alex, bea = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4"})
    _rate(session, q, aid, bea, {"A1.1": "1"})
    team.agree(session, q, aid, "A1.1", "3", "  Nach Gespräch mit der Schule  ")
    assert _agreed(session, q, aid) == {"A1.1": ("3", "Nach Gespräch mit der Schule")}
    team.agree(session, q, aid, "A1.1", "2")
    assert _agreed(session, q, aid) == {"A1.1": ("2", "")}
    team.agree(session, q, aid, "A2.1", "na", "betrifft uns nicht")  # nobody rated it: still allowed
    assert _agreed(session, q, aid) == {"A1.1": ("2", ""), "A2.1": ("na", "betrifft uns nicht")}
    team.agree(session, q, aid, "A1.1", None)
    team.agree(session, q, aid, "A1.1", None)  # withdrawing twice changes nothing
    assert _agreed(session, q, aid) == {"A2.1": ("na", "betrifft uns nicht")}
    assert session.scalar(select(func.count()).select_from(Consensus)) == 1
    # Members' own answers are never touched by agreeing.
    assert answers_of(session, aid, alex) == {"A1.1": "4"}
    assert answers_of(session, aid, bea) == {"A1.1": "1"}


def test_agree_refuses_bad_input(session, questionnaire):
    q = questionnaire
    info, _, _ = _team(session, q)
    aid = info.analysis_id
    with pytest.raises(AnalysisError, match=re.escape("Unbekannte Aussage „Z9.9“")):
        team.agree(session, q, aid, "Z9.9", "3")
    with pytest.raises(AnalysisError, match="Ungültige Antwort „5“"):
        team.agree(session, q, aid, "A1.1", "5")
    with pytest.raises(AnalysisError, match="höchstens 500 Zeichen"):
        team.agree(session, q, aid, "A1.1", "3", "x" * 501)
    with pytest.raises(AnalysisError, match="gibt es nicht"):
        team.agree(session, q, aid + 1000, "A1.1", "3")
    team.agree(session, q, aid, "A1.1", "3", "x" * 500)
    assert session.scalar(select(func.count()).select_from(Consensus)) == 1


def test_agree_refuses_on_a_submitted_analysis(session, questionnaire):
    q = questionnaire
    info, alex, _ = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4"})
    team.agree(session, q, aid, "A1.1", "3", "vorher")
    analyses.submit(session, aid)
    for value in ("1", None):
        with pytest.raises(AnalysisError, match="abgeschlossen"):
            team.agree(session, q, aid, "A1.1", value, "danach")
    with pytest.raises(AnalysisError, match="abgeschlossen"):
        team.agree(session, q, aid, "A1.2", "2")
    assert _agreed(session, q, aid) == {"A1.1": ("3", "vorher")}
    analyses.reopen(session, aid)
    team.agree(session, q, aid, "A1.1", "1", "danach")
    assert _agreed(session, q, aid) == {"A1.1": ("1", "danach")}


# --- counting answers, scores and releases ---------------------------------------------------------------


def test_counting_answers_use_agreed_values_else_the_fallback(session, questionnaire):
    q = questionnaire
    info, alex, bea = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4", "A1.2": "2", "A1.3": "na", "A1.4": "dk", "B1.1": "3"})
    _rate(session, q, aid, bea, {"A1.1": "1", "A1.2": "3", "A1.3": "dk", "A1.4": "4"})
    expected = {"A1.1": "1", "A1.2": "2", "A1.3": "dk", "A1.4": "4", "B1.1": "3"}
    assert team.counting_answers(session, q, aid) == expected
    team.agree(session, q, aid, "A1.1", "3", "geeinigt")
    team.agree(session, q, aid, "C1.1", "na")
    expected |= {"A1.1": "3", "C1.1": "na"}
    assert team.counting_answers(session, q, aid) == expected
    other = _start(session, q, "B")
    _rate(session, q, other.analysis_id, other.rater_id, {"A1.1": "2"})
    assert team.counting_answers_many(session, q, [aid, other.analysis_id, aid + 1000]) == {
        aid: expected,
        other.analysis_id: {"A1.1": "2"},
        aid + 1000: {},
    }
    assert team.counting_answers_many(session, q, []) == {}


def test_single_rater_counts_exactly_their_answers(session, questionnaire):
    q = questionnaire
    info = _start(session, q)
    answers = {"A1.1": "4", "A1.2": "na", "A1.3": "dk", "B2.1": "1"}
    _rate(session, q, info.analysis_id, info.rater_id, answers)
    assert team.counting_answers(session, q, info.analysis_id) == answers
    assert team.team_view(session, q, info.analysis_id).divergent == []


def test_scores_change_when_a_value_is_agreed(session, questionnaire):
    q = questionnaire
    info, alex, bea = _team(session, q)
    aid = info.analysis_id
    _rate(session, q, aid, alex, {"A1.1": "4", "A1.2": "4"})
    _rate(session, q, aid, bea, {"A1.1": "1", "A1.2": "4"})

    def a1() -> float | None:
        results = score_analysis(q, team.counting_answers(session, q, aid))
        return next(s.mean for s in results.subscores if s.subcriterion.id == "A1")

    assert a1() == pytest.approx(2.5)  # A1.1 counts the lower middle value 1
    team.agree(session, q, aid, "A1.1", "4", "Alex hat recht")
    assert a1() == pytest.approx(4.0)
    team.agree(session, q, aid, "A1.1", "na")
    assert a1() == pytest.approx(4.0)
    team.agree(session, q, aid, "A1.1", "2")
    assert a1() == pytest.approx(3.0)
    team.agree(session, q, aid, "A1.1", None)
    assert a1() == pytest.approx(2.5)


def test_group_release_uses_the_agreed_values(session, questionnaire):
    q = questionnaire
    created = groups.create_group(session, q, GroupSpec("Workshop Nord", "Nord", k=3))
    info, alex, bea = _team(session, q, "A")
    aid = info.analysis_id
    _rate(session, q, aid, alex, {sub.statements[0].id: "4" for sub in q.subcriteria})
    _rate(session, q, aid, bea, {sub.statements[0].id: "1" for sub in q.subcriteria} | {"A1.2": "dk"})
    team.agree(session, q, aid, "A1.1", "3", "Workshop")
    team.agree(session, q, aid, "B1.1", "na")
    ids = [aid]
    for name, value in (("B", "2"), ("C", "3"), ("D", "4"), ("E", "2")):
        other = _start(session, q, name)
        _rate(session, q, other.analysis_id, other.rater_id, {"A1.1": value, "C1.1": value})
        ids.append(other.analysis_id)
    for analysis_id in ids:
        groups.join_group(session, analysis_id, created.join_code)
        analyses.submit(session, analysis_id)

    counting = {i: team.counting_answers(session, q, i) for i in ids}
    assert counting[aid]["A1.1"] == "3" and counting[aid]["B1.1"] == "na" and counting[aid]["A2.1"] == "1"
    release = releases.release(session, created.group_id, q)
    expected = oracle.gated(histograms_of(contribution(q, counting[i], {}) for i in ids))
    stored = releases.release_histograms(session, release.id)
    assert stored == expected
    assert stored["s:A1.1"] == {"3": 2, "2": 2, "4": 1}  # the agreed 3, rated by all five
    # Not what any single member said: the first member's answers alone give another picture.
    only_alex = [contribution(q, answers_of(session, aid, alex), {})] + [
        contribution(q, counting[i], {}) for i in ids[1:]
    ]
    assert expected != oracle.gated(histograms_of(only_alex))

    # Agreeing on another value after reopening changes the analysis's contribution, not the
    # frozen release of this round.
    analyses.reopen(session, aid)
    team.agree(session, q, aid, "A1.1", "1", "doch nicht")
    analyses.submit(session, aid)
    assert team.counting_answers(session, q, aid)["A1.1"] == "1"
    decision = releases.release_check(session, created.group_id, q)
    assert not decision.allowed and "bereits freigegeben" in decision.reason
    assert releases.release_histograms(session, release.id) == stored


# --- sessions and info -----------------------------------------------------------------------------------


def test_login_target_carries_the_member(session, questionnaire):
    info, alex, _ = _team(session, questionnaire)
    aid = info.analysis_id
    with_member = logins.open_login_session(session, aid, 1, alex)
    without = logins.open_login_session(session, aid, 1)
    assert tokens.login_target(session, with_member) == (aid, alex)
    assert tokens.login_target(session, without) == (aid, None)
    assert tokens.analysis_of(session, with_member) == aid
    for junk in ("", "x" * 101, with_member + "x"):
        assert tokens.login_target(session, junk) is None
    logins.close_login_session(session, with_member)
    assert tokens.login_target(session, with_member) is None
    assert tokens.login_target(session, without) == (aid, None)


def test_analysis_info_reports_the_member_and_the_members(session, questionnaire):
    info, alex, bea = _team(session, questionnaire)
    aid = info.analysis_id
    seen = analyses.analysis_info(session, aid, alex)
    assert (seen.rater_id, seen.rater_name, seen.members) == (alex, "Alex", 3)
    seen = analyses.analysis_info(session, aid, bea)
    assert (seen.rater_id, seen.rater_name, seen.members) == (bea, "Bea", 3)
    first = analyses.analysis_info(session, aid)
    assert (first.rater_id, first.rater_name, first.members) == (info.rater_id, "Team", 3)
    # A member of another analysis is never shown here: the first member stands in.
    other = _start(session, questionnaire, "B")
    carla = team.member(session, other.analysis_id, "Carla")
    seen = analyses.analysis_info(session, aid, carla)
    assert (seen.rater_id, seen.rater_name) == (info.rater_id, "Team")
    single = analyses.analysis_info(session, other.analysis_id)
    assert (
        single.members == 2
        and analyses.analysis_info(session, other.analysis_id, carla).rater_name == "Carla"
    )


# --- measures --------------------------------------------------------------------------------------------


def _spec(sub: str, what: str, due: date | None = None, status: str = "geplant") -> MeasureSpec:
    return MeasureSpec(sub, what, "Frau Yilmaz", due, status, "")


def test_measures_add_list_set_status_and_delete(session, questionnaire):
    q = questionnaire
    info = _start(session, q)
    aid, pid = info.analysis_id, info.project_id
    open_ended = measures.add_measure(session, q, aid, _spec("C3", "Vorher-Nachher-Fragebogen"))
    late = measures.add_measure(session, q, aid, _spec("A1", "Bedarf erheben", date(2027, 6, 30)))
    early = measures.add_measure(session, q, aid, _spec("B2", "Förderantrag", date(2027, 1, 15), "begonnen"))
    same_day = measures.add_measure(session, q, aid, _spec("A2", "Flyer", date(2027, 1, 15)))
    rows = measures.measures_of(session, pid)
    assert [r.id for r in rows] == [early, same_day, late, open_ended]
    first = rows[0]
    assert (
        first.subcriterion_id,
        first.what,
        first.who,
        first.due,
        first.status,
        first.note,
        first.round,
    ) == (
        "B2",
        "Förderantrag",
        "Frau Yilmaz",
        date(2027, 1, 15),
        "begonnen",
        "",
        1,
    )

    measures.set_status(session, pid, late, "umgesetzt", "  Umfrage an 12 Schulen  ")
    measures.set_status(session, pid, early, "verworfen")
    by_id = {r.id: r for r in measures.measures_of(session, pid)}
    assert (by_id[late].status, by_id[late].note) == ("umgesetzt", "Umfrage an 12 Schulen")
    assert (by_id[early].status, by_id[early].note) == ("verworfen", "")
    measures.set_status(session, pid, late, "begonnen")  # without a note the note stays
    assert {r.id: r.note for r in measures.measures_of(session, pid)}[late] == "Umfrage an 12 Schulen"
    with pytest.raises(AnalysisError, match="Unbekannter Status"):
        measures.set_status(session, pid, late, "erledigt")
    with pytest.raises(AnalysisError, match="gibt es nicht"):
        measures.set_status(session, pid, 10_000, "geplant")

    measures.delete_measure(session, pid, same_day)
    assert [r.id for r in measures.measures_of(session, pid)] == [early, late, open_ended]


def test_update_measure_changes_every_field_of_own_measures_only(session, questionnaire):
    q = questionnaire
    mine, theirs = _start(session, q, "A"), _start(session, q, "B")
    own = measures.add_measure(session, q, mine.analysis_id, _spec("A1", "Elternabend", date(2027, 1, 1)))
    foreign = measures.add_measure(session, q, theirs.analysis_id, _spec("A1", "Schulbesuch"))
    new = MeasureSpec("C2", "Elternabend mit Schule", "Bea", date(2027, 5, 4), "umgesetzt", "gut besucht")
    measures.update_measure(session, q, mine.project_id, own, new)
    [row] = measures.measures_of(session, mine.project_id)
    assert (row.subcriterion_id, row.what, row.who, row.due, row.status, row.note) == (
        "C2",
        "Elternabend mit Schule",
        "Bea",
        date(2027, 5, 4),
        "umgesetzt",
        "gut besucht",
    )
    measures.update_measure(session, q, mine.project_id, own, MeasureSpec("C2", "ohne Datum"))
    assert measures.measures_of(session, mine.project_id)[0].due is None  # a due date can be removed
    with pytest.raises(AnalysisError, match="gibt es nicht"):
        measures.update_measure(session, q, mine.project_id, foreign, new)
    with pytest.raises(AnalysisError, match="Unbekanntes Unterkriterium"):
        measures.update_measure(session, q, mine.project_id, own, MeasureSpec("Z9", "falsch"))
    assert measures.measures_of(session, theirs.project_id)[0].what == "Schulbesuch"


def test_measures_stay_within_their_project(session, questionnaire):
    q = questionnaire
    mine, theirs = _start(session, q, "A"), _start(session, q, "B")
    own = measures.add_measure(session, q, mine.analysis_id, _spec("A1", "Elternabend"))
    foreign = measures.add_measure(session, q, theirs.analysis_id, _spec("A1", "Schulbesuch"))
    assert [r.id for r in measures.measures_of(session, mine.project_id)] == [own]
    assert [r.id for r in measures.measures_of(session, theirs.project_id)] == [foreign]
    with pytest.raises(AnalysisError, match="gibt es nicht"):
        measures.set_status(session, mine.project_id, foreign, "verworfen")
    measures.delete_measure(session, mine.project_id, foreign)
    row = session.get(Measure, foreign)
    session.refresh(row)
    assert (row.status, row.project_id) == ("geplant", theirs.project_id)


def test_unknown_subcriterion_or_analysis_is_refused(session, questionnaire):
    q = questionnaire
    info = _start(session, q)
    with pytest.raises(AnalysisError, match="Unbekanntes Unterkriterium „Z9“"):
        measures.add_measure(session, q, info.analysis_id, _spec("Z9", "Irgendwas"))
    with pytest.raises(AnalysisError, match="gibt es nicht"):
        measures.add_measure(session, q, info.analysis_id + 1000, _spec("A1", "Irgendwas"))
    assert session.scalar(select(func.count()).select_from(Measure)) == 0


def test_measures_list_covers_every_round_of_the_project(session, questionnaire):
    q = questionnaire
    info = _start(session, q)
    first = measures.add_measure(session, q, info.analysis_id, _spec("A1", "Erste Runde", date(2027, 5, 1)))
    analyses.submit(session, info.analysis_id)
    second_round = rounds.start_next_round(session, q, q, info.project_id, prefill=True)
    second = measures.add_measure(session, q, second_round, _spec("A2", "Zweite Runde", date(2027, 2, 1)))
    rows = measures.measures_of(session, info.project_id)
    assert [(r.id, r.round) for r in rows] == [(second, 2), (first, 1)]


# --- migration 0003 --------------------------------------------------------------------------------------

OLD_TABLES = (
    "initiative",
    "project",
    "access_code",
    "analysis",
    "rater",
    "answer",
    "subcriterion_note",
    "login_session",
    "workshop_group",
    "group_release",
)
NOW = "2026-01-05 10:00:00.000000"


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in OLD_TABLES}
    engine.dispose()
    return out


def _schema(url: str) -> tuple[set[str], set[str], set[str]]:
    engine = make_engine(url)
    insp = inspect(engine)
    out = (
        set(insp.get_table_names()),
        {c["name"] for c in insp.get_columns("login_session")},
        {c["name"] for c in insp.get_columns("group_release")},
    )
    engine.dispose()
    return out


def test_migration_0003_up_down_up_keeps_data(sqlite_settings, questionnaire):
    q = questionnaire
    url = sqlite_settings.database_url
    cfg = alembic_config(url)
    command.upgrade(cfg, "0002")
    token = "t" * 43
    engine = make_engine(url)
    with session_factory(engine)() as s:
        # Only tables 0003 leaves alone are written through the services here.
        info = _start(s, q)
        aid = info.analysis_id
        _rate(s, q, aid, info.rater_id, {"A1.1": "3", "A1.2": "dk"})
        save_note(s, q, aid, "A1", note="Protokoll", action_needed=True)
    with engine.begin() as conn:
        # The group row by hand: the models know columns later migrations add (e.g. shown_round).
        group_id = conn.execute(
            text(
                "INSERT INTO workshop_group (name, region, region_key, edition, k, facilitator_code_hash, "
                "join_code_hash, presenting, slide, created_at) VALUES ('Workshop Nord', 'Nord', 'nord', "
                ":edition, 3, :f, :j, 0, 0, :now) RETURNING id"
            ),
            {"edition": q.edition, "f": "f" * 64, "j": "j" * 64, "now": NOW},
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO login_session (token_hash, analysis_id, group_id, created_at, expires_at) "
                "VALUES (:t, :a, NULL, :now, '2099-01-01 00:00:00.000000')"
            ),
            {"t": hash_token(token), "a": aid, "now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO group_release (id, group_id, seq, n_members, created_at) "
                "VALUES (1, :g, 1, 3, :now)"
            ),
            {"g": group_id, "now": NOW},
        )
    engine.dispose()
    before = _counts(url)
    assert before["answer"] == 2 and before["login_session"] == 1 and before["group_release"] == 1

    command.upgrade(cfg, "head")
    assert _counts(url) == before
    tables, session_cols, release_cols = _schema(url)
    assert {"consensus", "measure"} <= tables and "rater_id" in session_cols and "round" in release_cols
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert tokens.login_target(s, token) == (aid, None)
        assert s.scalar(text("SELECT round FROM group_release WHERE id = 1")) == 1
        assert answers_of(s, aid, info.rater_id) == {"A1.1": "3", "A1.2": "dk"}
        alex = team.member(s, aid, "Alex")
        _rate(s, q, aid, alex, {"A1.1": "1"})
        team.agree(s, q, aid, "A1.1", "2", "vereinbart")
        measures.add_measure(s, q, aid, _spec("A1", "Bedarf erheben", date(2027, 1, 1)))
        member_token = logins.open_login_session(s, aid, 1, alex)
        assert tokens.login_target(s, member_token) == (aid, alex)
    engine.dispose()
    with_team = _counts(url)
    assert with_team == before | {"rater": before["rater"] + 1, "answer": 3, "login_session": 2}

    command.downgrade(cfg, "0002")
    assert _counts(url) == with_team
    tables, session_cols, release_cols = _schema(url)
    assert not {"consensus", "measure"} & tables
    assert not any(t.startswith("_alembic_tmp") for t in tables)
    assert "rater_id" not in session_cols and "round" not in release_cols

    command.upgrade(cfg, "head")
    assert _counts(url) == with_team
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert tokens.login_target(s, token) == (aid, None)
        assert tokens.login_target(s, member_token) == (aid, None)  # the member link went with 0002
        assert answers_of(s, aid, alex) == {"A1.1": "1"}
        assert team.counting_answers(s, q, aid)["A1.1"] == "1"  # the agreed value went with 0002
        assert measures.measures_of(s, info.project_id) == []
        team.agree(s, q, aid, "A1.1", "3")
        measures.add_measure(s, q, aid, _spec("A1", "Neu"))
        assert team.counting_answers(s, q, aid)["A1.1"] == "3"
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()
    with sqlite3.connect(url.removeprefix("sqlite:///")) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
