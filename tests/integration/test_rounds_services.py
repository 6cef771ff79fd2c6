"""Rounds end to end: starting the next round (pre-filled or not), editions, the workshop group across
rounds, per-round releases and scopes, measure counts in the group picture and the median shift."""

from __future__ import annotations

import copy
import dataclasses
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from mintqo.config import DEFAULT_QUESTIONNAIRE_DIR
from mintqo.db.models import Analysis, Answer, Consensus, Rater, ReleaseHistogram
from mintqo.domain import anonymity
from mintqo.domain.anonymity import Withheld
from mintqo.domain.histograms import AxisStat, contribution, histograms_of, measure_item, sub_item
from mintqo.domain.measures import STATUSES, MeasureSpec
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.domain.scoring import round_score, score_analysis
from mintqo.services import (
    analyses,
    group_comparisons,
    groups,
    logins,
    measures,
    participation,
    releases,
    rounds,
    scopes,
    team,
)
from mintqo.services.analyses import AnalysisError
from mintqo.services.answers import record_answer
from tests.support import group_oracle as oracle
from tests.support.projects import Proj, start_project, workshop_group

NEXT_EDITION = "mintqo-standard-2027.1"


@lru_cache(maxsize=1)
def _next_edition_data(edition: str) -> dict[str, Any]:
    """The default edition as a newer one: A1.2 renamed to A1.9, A1.3 dropped (explicit mapping)."""
    data = yaml.safe_load((DEFAULT_QUESTIONNAIRE_DIR / f"{edition}.yaml").read_text(encoding="utf-8"))
    data["edition"] = NEXT_EDITION
    a1 = data["criteria"][0]["subcriteria"][0]
    assert a1["id"] == "A1"
    kept = []
    for st in a1["statements"]:
        if st["id"] == "A1.2":
            kept.append({**st, "id": "A1.9"})
        elif st["id"] != "A1.3":
            kept.append(st)
    a1["statements"] = kept
    data["mappings"] = [{"from": edition, "statements": {"A1.2": "A1.9", "A1.3": None}}]
    return data


def _next_edition(questionnaire: Questionnaire) -> Questionnaire:
    return parse_questionnaire(copy.deepcopy(_next_edition_data(questionnaire.edition)))


def _next_round(session: Session, q: Questionnaire, p: Proj, *, prefill: bool = True) -> Proj:
    """Start the project's next round on the same edition; the Proj now stands for the new round."""
    new_id = rounds.start_next_round(session, q, q, p.project_id, prefill=prefill)
    info = analyses.analysis_info(session, new_id)
    return dataclasses.replace(p, analysis_id=new_id, rater_id=info.rater_id, answers=dict(p.answers))


def _set(session: Session, q: Questionnaire, p: Proj, changes: Mapping[str, str | None]) -> None:
    for sid, value in changes.items():
        record_answer(session, q, p.analysis_id, p.rater_id, sid, value)
        if value is None:
            p.answers.pop(sid, None)
        else:
            p.answers[sid] = value


def _answers(q: Questionnaire, value: str) -> dict[str, str]:
    """The first two statements of every sub-criterion, so that every axis has a score."""
    return {st.id: value for sub in q.subcriteria for st in sub.statements[:2]}


def _expected(
    q: Questionnaire,
    projects: Iterable[Proj],
    counts: Mapping[str, Mapping[tuple[str, str], int]] | None = None,
    k: int = 3,
) -> oracle.Hists:
    """A release's shown histograms computed from the answers (and measure counts per project
    name): the items resting on at least 2k − 1 ratings."""
    counts = counts or {}
    hists = histograms_of(contribution(q, p.answers, counts.get(p.name, {})) for p in projects)
    return oracle.gated(hists, k)


def _by_rater_name(session: Session, analysis_id: int) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    rows = session.execute(
        select(Rater.display_name, Answer.statement_id, Answer.value)
        .join(Answer, Answer.rater_id == Rater.id, isouter=True)
        .where(Rater.analysis_id == analysis_id)
    )
    for name, sid, value in rows:
        answers = out.setdefault(name, {})
        if sid is not None:
            answers[sid] = value
    return out


def _rater_names(session: Session, analysis_id: int) -> list[str]:
    return list(
        session.scalars(select(Rater.display_name).where(Rater.analysis_id == analysis_id).order_by(Rater.id))
    )


def _agreed(session: Session, analysis_id: int) -> dict[str, tuple[str, str]]:
    rows = session.execute(
        select(Consensus.statement_id, Consensus.value, Consensus.reason).where(
            Consensus.analysis_id == analysis_id
        )
    )
    return {sid: (value, reason) for sid, value, reason in rows}


def _team_project(session: Session, q: Questionnaire) -> tuple[Proj, dict[str, dict[str, str]]]:
    """A project rated by three named members (plus the default rater) with two agreed values."""
    p = start_project(session, q, "T", {"A1.1": "2", "A1.2": "dk"}, submit=False)
    ratings = {
        "Alex": {"A1.1": "4", "A1.2": "3", "A1.3": "1", "A2.1": "na", "B1.1": "2"},
        "Bea": {"A1.1": "1", "A1.2": "4", "A1.3": "3", "C1.1": "dk"},
        "Cem": {},  # joined but has not rated yet
    }
    for name, answers in ratings.items():
        rid = team.member(session, p.analysis_id, name)
        for sid, value in answers.items():
            record_answer(session, q, p.analysis_id, rid, sid, value)
    team.agree(session, q, p.analysis_id, "A1.1", "3", "Nach Diskussion im Team")
    team.agree(session, q, p.analysis_id, "A1.3", "2", "")
    analyses.submit(session, p.analysis_id)
    return p, {"Team": {"A1.1": "2", "A1.2": "dk"}, **ratings}


# --- starting the next round ------------------------------------------------------------------------


def test_next_round_is_refused_while_the_last_round_is_a_draft(session, questionnaire):
    q = questionnaire
    p = start_project(session, q, "A", {"A1.1": "3"}, submit=False)
    with pytest.raises(AnalysisError, match=r"^Bitte schließen Sie zuerst Runde 1 ab\.$"):
        rounds.start_next_round(session, q, q, p.project_id, prefill=True)
    assert [r.round for r in rounds.rounds_of(session, p.project_id)] == [1]

    analyses.submit(session, p.analysis_id)
    with pytest.raises(AnalysisError, match="Interner Fehler"):  # the edition of round 1 is required
        rounds.start_next_round(session, q, _next_edition(q), p.project_id, prefill=True)
    second = rounds.start_next_round(session, q, q, p.project_id, prefill=False)
    with pytest.raises(AnalysisError, match=r"^Bitte schließen Sie zuerst Runde 2 ab\.$"):
        rounds.start_next_round(session, q, q, p.project_id, prefill=False)
    analyses.submit(session, second)
    third = rounds.start_next_round(session, q, q, p.project_id, prefill=False)
    infos = rounds.rounds_of(session, p.project_id)
    assert [(r.analysis_id, r.round, r.status) for r in infos] == [
        (p.analysis_id, 1, "submitted"),
        (second, 2, "submitted"),
        (third, 3, "draft"),
    ]
    assert rounds.previous_round(session, p.project_id, 3).analysis_id == second
    assert rounds.previous_round(session, p.project_id, 1) is None
    with pytest.raises(AnalysisError, match="noch keine Selbstanalyse"):
        rounds.start_next_round(session, q, q, 987654, prefill=True)


def test_prefill_copies_every_members_answers_and_the_agreed_values(session, questionnaire):
    q = questionnaire
    p, ratings = _team_project(session, q)
    agreed = _agreed(session, p.analysis_id)
    assert agreed == {"A1.1": ("3", "Nach Diskussion im Team"), "A1.3": ("2", "")}

    new_id = rounds.start_next_round(session, q, q, p.project_id, prefill=True)
    info = analyses.analysis_info(session, new_id)
    assert (info.round, info.status, info.edition, info.project_id) == (2, "draft", q.edition, p.project_id)
    assert _rater_names(session, new_id) == ["Team", "Alex", "Bea", "Cem"]
    assert _by_rater_name(session, new_id) == ratings
    assert _agreed(session, new_id) == agreed
    assert team.counting_answers(session, q, new_id) == team.counting_answers(session, q, p.analysis_id)
    # The new round has its own rows: round 1 stays as it was, and the new round can be changed.
    assert not set(session.scalars(select(Rater.id).where(Rater.analysis_id == new_id))) & set(
        session.scalars(select(Rater.id).where(Rater.analysis_id == p.analysis_id))
    )
    record_answer(session, q, new_id, info.rater_id, "A1.1", "4")
    team.agree(session, q, new_id, "A1.1", None)
    assert _by_rater_name(session, p.analysis_id) == ratings
    assert _agreed(session, p.analysis_id) == agreed


def test_without_prefill_only_the_team_is_carried_over(session, questionnaire):
    q = questionnaire
    p, _ = _team_project(session, q)
    new_id = rounds.start_next_round(session, q, q, p.project_id, prefill=False)
    assert _rater_names(session, new_id) == ["Team", "Alex", "Bea", "Cem"]
    assert _by_rater_name(session, new_id) == {name: {} for name in ("Team", "Alex", "Bea", "Cem")}
    assert _agreed(session, new_id) == {}
    assert team.counting_answers(session, q, new_id) == {}


def test_prefill_into_a_newer_edition_follows_ids_and_the_mapping(session, questionnaire):
    q1, q2 = questionnaire, _next_edition(questionnaire)
    p, ratings = _team_project(session, q1)
    new_id = rounds.start_next_round(session, q2, q1, p.project_id, prefill=True)
    assert analyses.analysis_info(session, new_id).edition == q2.edition

    def moved(answers: Mapping[str, str]) -> dict[str, str]:
        out = {("A1.9" if sid == "A1.2" else sid): v for sid, v in answers.items() if sid != "A1.3"}
        return out

    assert _by_rater_name(session, new_id) == {name: moved(a) for name, a in ratings.items()}
    # A1.1 keeps its id, A1.3 was dropped in the new edition: its agreed value is not carried.
    assert _agreed(session, new_id) == {"A1.1": ("3", "Nach Diskussion im Team")}
    stored = set(session.scalars(select(Answer.statement_id).where(Answer.analysis_id == new_id)))
    assert stored and all(q2.has_statement(sid) for sid in stored)


def test_group_membership_carries_over_and_the_code_opens_the_newest_round(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    p = start_project(session, q, "A", {"A1.1": "3"}, join_code=created.join_code)
    assert logins.resume_with_code(session, p.code) == p.analysis_id
    p2 = _next_round(session, q, p)
    assert groups.group_of_analysis(session, p2.analysis_id).id == created.group_id
    assert groups.group_of_analysis(session, p.analysis_id).id == created.group_id
    assert logins.resume_with_code(session, p.code) == p2.analysis_id
    assert logins.resume_with_code(session, p.code.replace("-", "").lower()) == p2.analysis_id
    assert analyses.analysis_info(session, p2.analysis_id).round == 2
    assert releases.rounds_in(session, created.group_id) == [1, 2]
    rows = participation.participation(session, created.group_id, q)
    assert [(r.analysis_id, r.round, r.submitted) for r in rows] == [
        (p.analysis_id, 1, True),
        (p2.analysis_id, 2, False),
    ]


def test_a_round_on_another_edition_leaves_the_workshop_group(session, questionnaire):
    q1, q2 = questionnaire, _next_edition(questionnaire)
    created = workshop_group(session, q1)
    p = start_project(session, q1, "A", {"A1.1": "3"}, join_code=created.join_code)
    new_id = rounds.start_next_round(session, q2, q1, p.project_id, prefill=True)
    assert groups.group_of_analysis(session, new_id) is None
    assert session.get(Analysis, new_id).joined_at is None
    assert releases.rounds_in(session, created.group_id) == [1]


# --- per-round releases and scopes ------------------------------------------------------------------


def _rel(summary: releases.ReleaseSummary | None) -> tuple[int, int, int] | None:
    return (summary.id, summary.seq, summary.n_members) if summary else None


def _figure(session: Session, scope: str) -> tuple[int, int, oracle.Hists]:
    fig = scopes.scope_figure(session, scope)
    return fig.n_members, fig.n_groups, oracle.plain(fig.hists)


FROZEN = "bereits freigegeben"
VALUES = {"A": "1", "B": "2", "C": "3", "D": "4", "E": "4"}


def _group_of_values(session: Session, q: Questionnaire) -> tuple[groups.CreatedGroup, list[Proj]]:
    """A workshop group with one submitted round-1 project per entry of VALUES (all answers alike)."""
    created = workshop_group(session, q)
    code = created.join_code
    return created, [start_project(session, q, n, _answers(q, v), code) for n, v in VALUES.items()]


def test_releases_and_scopes_are_kept_per_round(session, questionnaire):
    q = questionnaire
    created, r1 = _group_of_values(session, q)
    gid = created.group_id
    info = groups.group_info(session, gid)
    first = releases.release(session, gid, q, 1)
    assert (first.seq, first.n_members) == (1, 5)
    hists1 = _expected(q, r1)
    assert releases.release_histograms(session, first.id) == hists1

    # Round 2: nothing to release for round 2 until 2k − 1 of its analyses are submitted. The
    # round-1 projects without a submitted round-2 analysis are carried with their released
    # state (the projects stay the same), but only fresh analyses count towards the gate.
    r2 = [_next_round(session, q, p) for p in r1]
    a2, b2, c2, d2, e2 = r2
    _set(session, q, a2, {"A1.1": "4", "A2.1": "4"})
    _set(session, q, b2, {"A1.1": "4"})
    _set(session, q, c2, {"A2.1": "4"})
    decision = releases.release_check(session, gid, q, 2)
    assert (decision.allowed, decision.n, decision.carried, decision.left_out) == (False, 5, 5, 0)
    assert decision.reason.startswith("Es sind erst 0 von mindestens 5 Selbstanalysen dieser Runde")
    assert decision.hists == {} and decision.withheld == {}
    analyses.submit(session, a2.analysis_id)
    analyses.submit(session, b2.analysis_id)
    decision = releases.release_check(session, gid, q, 2)
    assert (decision.allowed, decision.n, decision.carried) == (False, 5, 3)
    assert decision.reason.startswith(
        "Es sind erst 2 von mindestens 5 Selbstanalysen dieser Runde abgeschlossen"
    )
    with pytest.raises(groups.GroupError, match="erst 2 von mindestens 5"):
        releases.release(session, gid, q, 2)
    assert releases.latest_release(session, gid, 2) is None
    assert (
        participation.submitted_count(session, gid, 1) == 5
        and participation.submitted_count(session, gid, 2) == 2
    )
    # The round-1 release is untouched, and round 1 is never released again.
    assert _rel(releases.latest_release(session, gid, 1)) == _rel(first)
    assert FROZEN in releases.release_check(session, gid, q, 1).reason
    assert releases.presented_round(session, gid) == 1

    for p in (c2, d2, e2):
        analyses.submit(session, p.analysis_id)
    decision = releases.release_check(session, gid, q, 2)
    # The same five projects as round 1: their changes are shown (who changed what stays unknown).
    assert (decision.allowed, decision.n) == (True, 5)
    assert not any(r == anonymity.CHANGE for r in decision.withheld.values())
    second = releases.release(session, gid, q, 2)
    assert (second.seq, second.n_members) == (2, 5)
    hists2 = _expected(q, r2)
    assert releases.release_histograms(session, second.id) == hists2
    assert _rel(releases.latest_release(session, gid, 1)) == _rel(first)
    assert _rel(releases.latest_release(session, gid, 2)) == _rel(second)
    assert releases.presented_round(session, gid) == 2
    with pytest.raises(groups.GroupError, match=FROZEN):
        releases.release(session, gid, q, 2)
    assert releases.release_histograms(session, first.id) == hists1  # round 2 never enters round 1

    # Region and instance figures per round, never mixed.
    assert _figure(session, info.region_scope) == (5, 1, hists1)
    assert _figure(session, scopes.region_scope("nord", q.edition, 2)) == (5, 1, hists2)
    assert _figure(session, scopes.instance_scope(q.edition)) == (5, 1, hists1)
    assert _figure(session, scopes.instance_scope(q.edition, 2)) == (5, 1, hists2)
    assert scopes.region_scope("nord", q.edition, 2) != info.region_scope

    out1 = group_comparisons.comparisons(session, q, info, None, 1)
    out2 = group_comparisons.comparisons(session, q, info, None, 2)
    assert out1[group_comparisons.GROUP].picture.n_members == 5
    assert out2[group_comparisons.GROUP].picture.n_members == 5
    assert (
        "Runde 2" in out2[group_comparisons.GROUP].label
        and "Runde" not in out1[group_comparisons.GROUP].label
    )
    assert (
        oracle.plain(out1[group_comparisons.GROUP].hists) == hists1
        and oracle.plain(out2[group_comparisons.GROUP].hists) == hists2
    )
    assert (
        out1[group_comparisons.INSTANCE].picture is not None
        and out2[group_comparisons.INSTANCE].picture is not None
    )
    in_release = {p.analysis_id for p in participation.participation(session, gid, q) if p.in_release}
    assert in_release == {p.analysis_id for p in (*r1, *r2)}
    log = participation.release_log(session, gid)
    assert [(e.seq, e.round, e.n_members) for e in log] == [(1, 1, 5), (2, 2, 5)]

    # A project that joins late changes neither frozen picture.
    late = start_project(session, q, "F", _answers(q, "2"), join_code=created.join_code)
    assert participation.submitted_count(session, gid, 1) == 6
    assert FROZEN in releases.release_check(session, gid, q, 1).reason
    assert _figure(session, info.region_scope) == (5, 1, hists1)
    assert late.analysis_id not in in_release


def _counts(*rows: tuple[str, str, int]) -> dict[tuple[str, str], int]:
    return {(sub, status): n for sub, status, n in rows}


def _totals(q: Questionnaire, counts: Iterable[Mapping[tuple[str, str], int]]) -> dict[str, dict[str, int]]:
    total: Counter[tuple[str, str]] = Counter()
    for c in counts:
        total.update(c)
    return {s.id: {st: total[(s.id, st)] for st in STATUSES} for s in q.subcriteria}


def test_measure_counts_enter_the_release_and_show_only_from_2k_minus_1_analyses(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    gid = created.group_id
    a, b, c, d, e = (
        start_project(session, q, n, _answers(q, v), join_code=created.join_code)
        for n, v in (("A", "2"), ("B", "3"), ("C", "3"), ("D", "2"), ("E", "4"))
    )
    planned = MeasureSpec("A1", "Elternabend planen", status="geplant")
    ids = [measures.add_measure(session, q, a.analysis_id, planned) for _ in range(2)]
    measures.add_measure(session, q, a.analysis_id, MeasureSpec("A1", "Umfrage", status="umgesetzt"))
    measures.add_measure(session, q, b.analysis_id, MeasureSpec("A1", "Schulbesuch", status="geplant"))
    measures.add_measure(session, q, b.analysis_id, MeasureSpec("B2", "Förderantrag", status="begonnen"))
    counts = {
        "A": _counts(("A1", "geplant", 2), ("A1", "umgesetzt", 1)),
        "B": _counts(("A1", "geplant", 1), ("B2", "begonnen", 1)),
    }
    rel = releases.release(session, gid, q, 1)
    hists = releases.release_histograms(session, rel.id)
    assert hists == _expected(q, [a, b, c, d, e], counts)
    assert hists[measure_item("A1", "geplant")] == {"2": 1, "1": 1, "0": 3}
    assert hists[measure_item("A1", "umgesetzt")] == {"1": 1, "0": 4}
    assert hists[measure_item("C1", "verworfen")] == {"0": 5}

    info = groups.group_info(session, gid)
    pic = group_comparisons.comparisons(session, q, info, None, 1)[group_comparisons.GROUP].picture
    assert pic.measures == _totals(q, counts.values())
    assert pic.measures["A1"] == {"geplant": 3, "begonnen": 0, "umgesetzt": 1, "verworfen": 0}
    assert pic.measures["B2"]["begonnen"] == 1
    # The same histograms as a figure of fewer than 2k − 1 analyses: no counts at all.
    assert anonymity.picture(q, "Gruppe", hists, 4, 3).measures == {}
    assert anonymity.picture(q, "Gruppe", hists, 5, 4).measures == {}

    # A changed status after the release leaves the frozen picture as it is.
    measures.set_status(session, a.project_id, ids[0], "umgesetzt")
    decision = releases.release_check(session, gid, q, 1)
    assert not decision.allowed and FROZEN in decision.reason
    assert releases.release_histograms(session, rel.id) == hists
    pic_after = group_comparisons.comparisons(session, q, info, None, 1)[group_comparisons.GROUP].picture
    assert pic_after.measures == pic.measures


def test_round_two_counts_the_measures_of_earlier_rounds_and_its_own(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    gid = created.group_id
    r1 = [start_project(session, q, n, _answers(q, "3"), join_code=created.join_code) for n in "ABCDE"]
    old = measures.add_measure(session, q, r1[0].analysis_id, MeasureSpec("A1", "Alte Maßnahme"))
    releases.release(session, gid, q, 1)
    r2 = [_next_round(session, q, p) for p in r1]
    for p in r2:
        _set(session, q, p, {"B1.1": "1"})
    measures.add_measure(session, q, r2[1].analysis_id, MeasureSpec("A2", "Neue Maßnahme"))
    for p in r2:
        analyses.submit(session, p.analysis_id)
    counts = {"A": _counts(("A1", "geplant", 1)), "B": _counts(("A2", "geplant", 1))}
    plan = releases.release_check(session, gid, q, 2)
    assert plan.allowed and oracle.plain(plan.hists) == _expected(q, r2, counts)
    # The check-in on a measure of round 1 moves what round 2 would show.
    measures.set_status(session, r1[0].project_id, old, "umgesetzt")
    counts["A"] = _counts(("A1", "umgesetzt", 1))
    rel = releases.release(session, gid, q, 2)
    hists = releases.release_histograms(session, rel.id)
    assert hists == _expected(q, r2, counts)
    assert hists[measure_item("A1", "umgesetzt")] == {"1": 1, "0": 4}
    assert hists[measure_item("A2", "geplant")] == {"1": 1, "0": 4}


# --- the median shift between rounds ----------------------------------------------------------------


def _released_picture(session: Session, q: Questionnaire, gid: int, round_no: int) -> anonymity.GroupPicture:
    info = groups.group_info(session, gid)
    pic = group_comparisons.comparisons(session, q, info, None, round_no)[group_comparisons.GROUP].picture
    assert pic is not None
    return pic


def _median(q: Questionnaire, projects: Iterable[Proj], sub_id: str) -> float:
    """The median of the projects' displayed sub-criterion scores, computed without histograms."""
    scores = [
        round_score(s.mean)
        for p in projects
        for s in score_analysis(q, p.answers).subscores
        if s.subcriterion.id == sub_id and s.mean is not None
    ]
    return statistics.median(scores)


def test_median_shift_is_the_difference_of_the_released_medians(session, questionnaire):
    q = questionnaire
    created, r1 = _group_of_values(session, q)
    gid = created.group_id
    releases.release(session, gid, q, 1)
    r2 = [_next_round(session, q, p) for p in r1]
    a2, _, c2, d2, _ = r2
    _set(session, q, a2, {"A1.1": "4", "A1.2": "4"})  # A1: 1,2,3,4,4 → 4,2,3,4,4 (median 3 → 4)
    _set(session, q, c2, {"A2.1": "1", "A2.2": "2"})  # A2: 1,2,3,4,4 → 1,2,1.5,4,4 (median 3 → 2)
    sub_a3 = q.subcriterion("A3")
    _set(session, q, d2, {st.id: "na" for st in sub_a3.statements})  # A3: only 4 scored in round 2
    for p in r2:
        analyses.submit(session, p.analysis_id)
    releases.release(session, gid, q, 2)
    before, after = _released_picture(session, q, gid, 1), _released_picture(session, q, gid, 2)

    assert anonymity.median_shift(before, after, sub_item("A1")) == 1.0
    assert anonymity.median_shift(before, after, sub_item("A2")) == -1.0
    assert anonymity.median_shift(before, after, sub_item("B1")) == 0.0
    shown = 0
    for sub in q.subcriteria:
        item = sub_item(sub.id)
        shift = anonymity.median_shift(before, after, item)
        if sub.id == "A3":
            assert isinstance(after.axis(item), Withheld)
            assert shift == Withheld(0, 3, anonymity.FEW)
            continue
        assert isinstance(before.axis(item), AxisStat) and isinstance(after.axis(item), AxisStat)
        assert shift == round(_median(q, r2, sub.id) - _median(q, r1, sub.id), 2)
        assert shift == round(after.axis(item).median - before.axis(item).median, 2)
        shown += 1
    assert shown == len(q.subcriteria) - 1

    # A side withheld as a whole (fewer than 2k − 1 analyses) withholds every shift.
    hists2 = releases.release_histograms(session, releases.latest_release(session, gid, 2).id)
    thin = anonymity.picture(q, "Runde 2", hists2, 4, 3)
    for sub in q.subcriteria:
        assert isinstance(anonymity.median_shift(before, thin, sub_item(sub.id)), Withheld)
        assert isinstance(anonymity.median_shift(thin, before, sub_item(sub.id)), Withheld)
    # An axis only one round's edition has is withheld as well, never a shift from zero.
    assert anonymity.median_shift(before, after, sub_item("Z9")) == Withheld(0, 3)


# --- anonymity across rounds ------------------------------------------------------------------------


def _minus(a: Mapping[str, Mapping[str, int]], b: Mapping[str, Mapping[str, int]]) -> oracle.Hists:
    out: dict[str, Counter[str]] = {}
    for sign, hists in ((1, a), (-1, b)):
        for item, hist in hists.items():
            for bin_, n in hist.items():
                out.setdefault(item, Counter())[bin_] += sign * n
    return oracle.plain(out)


def test_round_two_release_cannot_single_out_a_project_against_round_one(session, questionnaire):
    q = questionnaire
    created, r1 = _group_of_values(session, q)
    gid = created.group_id
    releases.release(session, gid, q, 1)
    late = start_project(session, q, "F", {**_answers(q, "4"), "A1.3": "1"}, join_code=created.join_code)
    # Round 1 is frozen: the late project never enters it.
    assert FROZEN in releases.release_check(session, gid, q, 1).reason
    hists1 = releases.release_histograms(session, releases.latest_release(session, gid, 1).id)

    r2 = [_next_round(session, q, p) for p in [*r1, late]]  # pre-filled, nothing changed
    for p in r2:
        analyses.submit(session, p.analysis_id)
    plan = releases.release_check(session, gid, q, 2)
    # Round 2 minus round 1 would be the late project's answers on every item: it is left out of
    # round 2, so the group keeps the round-1 projects and the difference is nobody's answers.
    assert (plan.n, plan.left_out, plan.carried) == (5, 1, 0)
    assert plan.allowed and not plan.membership_differs
    assert not any(r == anonymity.CHANGE for r in plan.withheld.values())
    assert plan.hists == hists1  # nothing changed: exactly the round-1 picture, without F
    second = releases.release(session, gid, q, 2)
    assert second.n_members == 5 and second.carried == 0
    assert releases.release_histograms(session, second.id) == hists1
    in_release = {p.analysis_id for p in participation.participation(session, gid, q) if p.in_release}
    assert r2[-1].analysis_id not in in_release and late.analysis_id not in in_release
    assert {p.analysis_id for p in r2[:-1]} <= in_release


def test_a_release_works_with_the_longest_sub_criterion_ids_the_schema_allows(session, questionnaire):
    data = copy.deepcopy(_next_edition_data(questionnaire.edition))
    data.pop("mappings")
    data["edition"] = "long-ids"
    sub = data["criteria"][0]["subcriteria"][0]
    long_id = "A" + "x" * 29  # a statement id must be "<sub id>.<n>" and at most 32 characters
    sub["id"] = long_id
    for i, st in enumerate(sub["statements"], start=1):
        st["id"] = f"{long_id}.{i}"
    q = parse_questionnaire(data)  # a valid edition
    created = workshop_group(session, q)
    for name in "ABCDE":
        start_project(session, q, name, {f"{long_id}.1": "3"}, join_code=created.join_code)
    rel = releases.release(session, created.group_id, q, 1)
    hists = releases.release_histograms(session, rel.id)
    assert hists[measure_item(long_id, "umgesetzt")] == {"0": 5}
    limit = ReleaseHistogram.__table__.c.item.type.length
    assert max(len(item) for item in hists) <= limit
