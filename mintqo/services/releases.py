"""Releases of a group's picture (per round), participation, and what releases are built from.

Group figures change only here: a release is a snapshot checked by `anonymity.release_decision`
against every earlier release of the group, then folded into the region and instance sums.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mintqo.db.models import (
    STATUS_SUBMITTED,
    Analysis,
    Answer,
    GroupRelease,
    Initiative,
    Measure,
    Project,
    ReleaseHistogram,
    ReleaseMember,
    WorkshopGroup,
)
from mintqo.domain import anonymity
from mintqo.domain.benchmark import answer_part, contribution, from_rows, histograms_of
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import scopes, team
from mintqo.services.groups import GroupError


@dataclass(frozen=True)
class Participant:
    """One row of the participation table: status and progress, never ratings."""

    analysis_id: int
    initiative: str
    project: str
    submitted: bool
    answered: int
    total: int
    submitted_at: datetime | None
    in_release: bool
    round: int = 1


@dataclass(frozen=True)
class ReleaseSummary:
    """A released group picture."""

    id: int
    seq: int
    n_members: int
    created_at: datetime


def _latest(session: Session, group_id: int, round_no: int = 1) -> GroupRelease | None:
    """The newest release of a round, withdrawn or not (what a new release replaces)."""
    return session.scalar(
        select(GroupRelease)
        .where(GroupRelease.group_id == group_id, GroupRelease.round == round_no)
        .order_by(GroupRelease.seq.desc())
        .limit(1)
    )


def _live(rel: GroupRelease | None) -> GroupRelease | None:
    return rel if rel is not None and rel.withdrawn_at is None else None


def latest_release(session: Session, group_id: int, round_no: int = 1) -> ReleaseSummary | None:
    """The group's newest released picture of a round, unless it was withdrawn after a deletion."""
    rel = _live(_latest(session, group_id, round_no))
    return ReleaseSummary(rel.id, rel.seq, rel.n_members, rel.created_at) if rel else None


def latest_withdrawn(session: Session, group_id: int, round_no: int = 1) -> bool:
    """Whether the round's newest release was withdrawn because an initiative deleted data."""
    rel = _latest(session, group_id, round_no)
    return rel is not None and rel.withdrawn_at is not None


def participation(session: Session, group_id: int, questionnaire: Questionnaire) -> list[Participant]:
    """Started / submitted and progress per project of the group (no ratings)."""
    released: set[int] = set()
    for round_no in rounds_in(session, group_id):
        latest = _live(_latest(session, group_id, round_no))
        if latest is not None:
            released |= set(
                session.scalars(
                    select(ReleaseMember.analysis_id).where(ReleaseMember.release_id == latest.id)
                )
            )
    answered = (
        select(Answer.analysis_id, func.count(func.distinct(Answer.statement_id)).label("n"))
        .group_by(Answer.analysis_id)
        .subquery()
    )
    rows = session.execute(
        select(Analysis, Project.name, Initiative.name, answered.c.n)
        .join(Project, Analysis.project_id == Project.id)
        .join(Initiative, Project.initiative_id == Initiative.id)
        .outerjoin(answered, answered.c.analysis_id == Analysis.id)
        .where(Analysis.group_id == group_id)
        .order_by(Analysis.round, Initiative.name, Project.name)
    )
    return [
        Participant(
            analysis_id=a.id,
            initiative=initiative,
            project=project,
            submitted=a.status == STATUS_SUBMITTED,
            answered=min(n or 0, questionnaire.statement_count),
            total=questionnaire.statement_count,
            submitted_at=a.submitted_at,
            in_release=a.id in released,
            round=a.round,
        )
        for a, project, initiative, n in rows
    ]


def submitted_count(session: Session, group_id: int, round_no: int = 1) -> int:
    """How many analyses of the group's round are submitted (a count, never ratings)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Analysis)
            .where(
                Analysis.group_id == group_id, Analysis.status == STATUS_SUBMITTED, Analysis.round == round_no
            )
        )
        or 0
    )


def rounds_in(session: Session, group_id: int) -> list[int]:
    """The rounds the group's analyses are in (1 until projects start a second round)."""
    found = session.scalars(select(Analysis.round).where(Analysis.group_id == group_id).distinct())
    return sorted(set(found) | {1})


def presented_round(session: Session, group_id: int) -> int:
    """The newest round with a released picture (what presentation and "Sie sind hier" show)."""
    found = session.scalar(
        select(func.max(GroupRelease.round)).where(
            GroupRelease.group_id == group_id, GroupRelease.withdrawn_at.is_(None)
        )
    )
    return found or 1


def _measure_counts(session: Session, analysis_ids: list[int]) -> dict[int, dict[tuple[str, str], int]]:
    """Per analysis: its project's measures up to its round, counted by sub-criterion and status."""
    out: dict[int, dict[tuple[str, str], int]] = {aid: {} for aid in analysis_ids}
    if not analysis_ids:
        return out
    made_in = aliased(Analysis)
    rows = session.execute(
        select(Analysis.id, Measure.subcriterion_id, Measure.status, func.count())
        .join(Measure, Measure.project_id == Analysis.project_id)
        .join(made_in, Measure.analysis_id == made_in.id)
        .where(Analysis.id.in_(analysis_ids), made_in.round <= Analysis.round)
        .group_by(Analysis.id, Measure.subcriterion_id, Measure.status)
    )
    for aid, sub_id, status, n in rows:
        out[aid][(sub_id, status)] = n
    return out


def _released_answers(
    session: Session, q: Questionnaire, analysis_ids: list[int]
) -> dict[int, dict[str, str]]:
    """The answers that count for each analysis: the team's agreed values, else the fallback rule."""
    return team.counting_answers_many(session, q, analysis_ids)


def _version(contrib: dict[str, str]) -> str:
    """A fingerprint of what an analysis adds: any change of its answers changes it."""
    return hashlib.sha256(json.dumps(contrib, sort_keys=True).encode()).hexdigest()[:40]


def _current(
    session: Session, group: WorkshopGroup, questionnaire: Questionnaire, round_no: int = 1
) -> dict[int, dict[str, str]]:
    ids = list(
        session.scalars(
            select(Analysis.id).where(
                Analysis.group_id == group.id,
                Analysis.status == STATUS_SUBMITTED,
                Analysis.edition == group.edition,
                Analysis.round == round_no,
            )
        )
    )
    answers = _released_answers(session, questionnaire, ids)
    counts = _measure_counts(session, ids)
    return {aid: contribution(questionnaire, answers[aid], counts[aid]) for aid in ids}


@dataclass(frozen=True)
class _Earlier:
    """One earlier release as project id → fingerprint, whole and of the answers alone."""

    round: int
    members: dict[int, str]
    answers: dict[int, str] | None  # None for releases made before 0004


def _history(session: Session, group_id: int) -> list[_Earlier]:
    """Every earlier release of the group, all rounds, in release order – read in one query.

    Projects, not analysis rows, are the members: a round-2 analysis is a new row, but if it
    repeats round 1 unchanged it must count as unchanged, or round 2 minus round 1 would
    single out the one project that was added. Withdrawn releases and deleted projects count
    too: whoever saw such a release must not learn the deleted contribution by subtraction.
    """
    found: dict[int, _Earlier] = {}
    rows = session.execute(
        select(
            GroupRelease.seq,
            GroupRelease.round,
            ReleaseMember.project_id,
            ReleaseMember.version,
            ReleaseMember.answers_version,
        )
        .join(ReleaseMember, ReleaseMember.release_id == GroupRelease.id)
        .where(GroupRelease.group_id == group_id)
        .order_by(GroupRelease.seq)
    )
    for seq, round_no, project_id, version, answers_version in rows:
        rel = found.setdefault(seq, _Earlier(round_no, {}, None if answers_version is None else {}))
        rel.members[project_id] = version
        if rel.answers is not None and answers_version is not None:
            rel.answers[project_id] = answers_version
    return [found[s] for s in sorted(found)]


def _latest_members(history: list[_Earlier], round_no: int) -> dict[int, str] | None:
    """The latest release of this round (what a new release would replace); None before the first
    release of the group, empty for the first release of a later round (everything is new)."""
    same_round = [rel.members for rel in history if rel.round == round_no]
    if same_round:
        return same_round[-1]
    return {} if history else None


def _projects_of(session: Session, analysis_ids: list[int]) -> dict[int, int]:
    return dict(
        session.execute(select(Analysis.id, Analysis.project_id).where(Analysis.id.in_(analysis_ids))).all()
    )


def _decision(
    session: Session, group: WorkshopGroup, contribs: dict[int, dict[str, str]], round_no: int
) -> anonymity.ReleaseDecision:
    """Rules 1 and 2 for releasing these contributions: whole, and on the answers alone."""
    projects = _projects_of(session, list(contribs))
    history = _history(session, group.id)
    current = {projects[aid]: _version(c) for aid, c in contribs.items()}
    decision = anonymity.release_decision(
        current, [rel.members for rel in history], group.k, _latest_members(history, round_no)
    )
    if not decision.allowed:
        return decision
    answers = {projects[aid]: _version(answer_part(c)) for aid, c in contribs.items()}
    earlier = [rel.answers for rel in history if rel.answers is not None]
    reason = anonymity.answers_refusal(answers, earlier, group.k)
    return decision if reason is None else replace(decision, allowed=False, reason=reason)


def release_check(
    session: Session, group_id: int, questionnaire: Questionnaire, round_no: int = 1
) -> anonymity.ReleaseDecision:
    """Whether the facilitator may release the group picture of a round now, and if not, why."""
    group = session.get(WorkshopGroup, group_id)
    if group is None:
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    return _decision(session, group, _current(session, group, questionnaire, round_no), round_no)


def release(
    session: Session, group_id: int, questionnaire: Questionnaire, round_no: int = 1
) -> ReleaseSummary:
    """Release a round's group picture as a snapshot and fold it into the region and instance figures."""
    # The row lock (PostgreSQL) makes a release and a deletion in the same group take turns, so a
    # release never holds answers that were deleted while it was being built.
    group = session.get(WorkshopGroup, group_id, with_for_update=True)
    if group is None:
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    contribs = _current(session, group, questionnaire, round_no)
    decision = _decision(session, group, contribs, round_no)
    if not decision.allowed:
        raise GroupError(decision.reason)
    previous = _live(_latest(session, group_id, round_no))
    last_seq = (
        session.scalar(select(func.max(GroupRelease.seq)).where(GroupRelease.group_id == group_id)) or 0
    )
    hists = histograms_of(contribs.values())
    rel = GroupRelease(group_id=group_id, seq=last_seq + 1, round=round_no, n_members=len(contribs))
    session.add(rel)
    session.flush()
    projects = _projects_of(session, list(contribs))
    session.add_all(
        ReleaseMember(
            release_id=rel.id,
            analysis_id=aid,
            project_id=projects[aid],
            version=_version(c),
            answers_version=_version(answer_part(c)),
        )
        for aid, c in contribs.items()
    )
    session.add_all(
        ReleaseHistogram(release_id=rel.id, item=item, bin=b, count=c)
        for item, hist in hists.items()
        for b, c in hist.items()
    )
    old = release_histograms(session, previous.id) if previous else {}
    for scope in (group_region_scope(group, round_no), scopes.instance_scope(group.edition, round_no)):
        scopes.replace_part(
            session,
            scope,
            old,
            hists,
            old_members=previous.n_members if previous else 0,
            new_members=rel.n_members,
            new_group=previous is None,
        )
    session.commit()
    return ReleaseSummary(rel.id, rel.seq, rel.n_members, rel.created_at)


def group_region_scope(group: WorkshopGroup, round_no: int = 1) -> str:
    """Scope key of a group's region."""
    return scopes.region_scope(group.region_key, group.edition, round_no)


def release_histograms(session: Session, release_id: int) -> dict[str, dict[str, int]]:
    """The histograms of one release."""
    return from_rows(
        session.execute(
            select(ReleaseHistogram.item, ReleaseHistogram.bin, ReleaseHistogram.count).where(
                ReleaseHistogram.release_id == release_id
            )
        )
    )
