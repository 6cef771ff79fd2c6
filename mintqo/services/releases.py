"""Releases of a group's picture (per round), participation, and what releases are built from.

Group figures change only here: a round's picture is released once, checked by
`anonymity.plan_release` against every earlier round, and its shown items are folded into the
region and instance sums.
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
from mintqo.domain.benchmark import answer_part, contribution, from_rows
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import scopes, team
from mintqo.services.groups import GroupError


@dataclass(frozen=True)
class Participant:
    """One row of the participation table: started / submitted, never progress counts or ratings."""

    analysis_id: int
    initiative: str
    project: str
    submitted: bool
    started: bool  # any answer given; never how many (with group counts, that would tell which)
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
    carried: int = 0  # of n_members: projects counted with the previous round's released state


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
    return ReleaseSummary(rel.id, rel.seq, rel.n_members, rel.created_at, rel.carried) if rel else None


def latest_withdrawn(session: Session, group_id: int, round_no: int = 1) -> bool:
    """Whether the round's newest release was withdrawn because an initiative deleted data."""
    rel = _latest(session, group_id, round_no)
    return rel is not None and rel.withdrawn_at is not None


def participation(session: Session, group_id: int, questionnaire: Questionnaire) -> list[Participant]:
    """Started / submitted per project of the group (no progress counts, no ratings)."""
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
            started=bool(n),
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


@dataclass(frozen=True)
class _Candidate:
    """What a release of a round would hold: project → contribution and analysis, and which
    projects are carried with the previous round's released state (no new analysis)."""

    contribs: dict[int, dict[str, str]]
    analysis_of: dict[int, int]
    carried: frozenset[int]
    left_out: int  # submitted, but not in the previous round's release: would change the projects


def _current(
    session: Session, group: WorkshopGroup, questionnaire: Questionnaire, round_no: int = 1
) -> _Candidate:
    """The round's submitted analyses, plus the previous release's projects without one.

    After a first release the group's projects are those of the previous release: a project that
    was not in it (joined later) stays out, or the difference of the rounds would be its answers.
    """
    rows = session.execute(
        select(Analysis.id, Analysis.project_id).where(
            Analysis.group_id == group.id,
            Analysis.status == STATUS_SUBMITTED,
            Analysis.edition == group.edition,
            Analysis.round == round_no,
        )
    ).all()
    ids = [aid for aid, _ in rows]
    answers = _released_answers(session, questionnaire, ids)
    counts = _measure_counts(session, ids)
    contribs = {pid: contribution(questionnaire, answers[aid], counts[aid]) for aid, pid in rows}
    analysis_of = {pid: aid for aid, pid in rows}
    previous = _previous_members(session, group, round_no)
    left_out = 0
    if previous is not None:
        left_out = len(contribs.keys() - previous.keys())
        contribs = {pid: c for pid, c in contribs.items() if pid in previous}
        for pid, (aid, items) in previous.items():
            if pid not in contribs and pid > 0 and items not in (None, DELETED_ITEMS):
                contribs[pid], analysis_of[pid] = json.loads(items), aid
    carried = frozenset(contribs.keys() - {pid for _, pid in rows})
    return _Candidate(contribs, analysis_of, carried, left_out)


def _previous_members(
    session: Session, group: WorkshopGroup, round_no: int
) -> dict[int, tuple[int, str | None]] | None:
    """Project → (analysis, stored items) of the group's newest release of an earlier round, or
    None before the first one. Its projects carry into the new round with their released state
    when they have no new analysis, so the projects of the two pictures stay the same."""
    if round_no == 1:
        return None
    prev = session.scalar(
        select(GroupRelease.id)
        .where(GroupRelease.group_id == group.id, GroupRelease.round < round_no)
        .order_by(GroupRelease.round.desc(), GroupRelease.seq.desc())
        .limit(1)
    )
    if prev is None:
        return None
    rows = session.execute(
        select(ReleaseMember.project_id, ReleaseMember.analysis_id, ReleaseMember.items).where(
            ReleaseMember.release_id == prev
        )
    )
    return {pid: (aid, items) for pid, aid, items in rows if pid is not None}


DELETED_ITEMS = "deleted"  # release_member.items of a deleted analysis: differs on every item


def _earlier(
    session: Session, group: WorkshopGroup, current: dict[int, dict[str, str]], round_no: int
) -> list[dict[int, dict[str, str] | None]]:
    """Every release of another round – of this group or holding one of the current projects – and
    per round the union of those, as project → released contribution (None once deleted).
    Withdrawn ones count: someone may have kept them. A member released before 0006 has no stored
    items: if it is in the new release it counts as unchanged (which can only withhold more), if
    not, like a deleted one."""
    rel_ids = select(ReleaseMember.release_id).where(ReleaseMember.project_id.in_(list(current)))
    rows = session.execute(
        select(GroupRelease.id, GroupRelease.round, ReleaseMember.project_id, ReleaseMember.items)
        .join(ReleaseMember, ReleaseMember.release_id == GroupRelease.id)
        .where(
            GroupRelease.round != round_no,
            (GroupRelease.group_id == group.id) | GroupRelease.id.in_(rel_ids),
        )
        .order_by(GroupRelease.id)
    )
    found: dict[int, dict[int, dict[str, str] | None]] = {}
    by_round: dict[int, dict[int, dict[str, str] | None]] = {}
    for rel_id, rel_round, project_id, items in rows:
        if project_id is None:
            continue
        contrib: dict[str, str] | None
        if items == DELETED_ITEMS:
            contrib = None
        elif items is None:
            contrib = current.get(project_id)  # unknown bins of a leaver: like a deleted one
        else:
            contrib = json.loads(items)
        found.setdefault(rel_id, {})[project_id] = contrib
        by_round.setdefault(rel_round, {})[project_id] = contrib
    # A region or instance sum of one round holds several of these releases at once: compare with
    # their union too, or a project that moved groups between rounds would hide a newcomer.
    unions = [u for u in by_round.values() if u not in found.values()]
    return list(found.values()) + unions


def _plan(session: Session, group: WorkshopGroup, cand: _Candidate, round_no: int) -> anonymity.ReleasePlan:
    """The anonymity rules for releasing this candidate."""
    rels = list(
        session.scalars(
            select(GroupRelease).where(GroupRelease.group_id == group.id, GroupRelease.round == round_no)
        )
    )
    return anonymity.plan_release(
        cand.contribs,
        _earlier(session, group, cand.contribs, round_no),
        group.k,
        round_released=any(r.withdrawn_at is None for r in rels),
        round_withdrawn=bool(rels) and all(r.withdrawn_at is not None for r in rels),
        carried=cand.carried,
    )


def release_check(
    session: Session, group_id: int, questionnaire: Questionnaire, round_no: int = 1
) -> anonymity.ReleasePlan:
    """Whether the facilitator may release the group picture of a round now, and if not, why."""
    group = session.get(WorkshopGroup, group_id)
    if group is None:
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    cand = _current(session, group, questionnaire, round_no)
    return replace(_plan(session, group, cand, round_no), left_out=cand.left_out)


def release(
    session: Session, group_id: int, questionnaire: Questionnaire, round_no: int = 1
) -> ReleaseSummary:
    """Release a round's group picture, once, and fold its shown items into the region and instance."""
    # The row lock (PostgreSQL) makes a release and a deletion in the same group take turns, so a
    # release never holds answers that were deleted while it was being built.
    group = session.get(WorkshopGroup, group_id, with_for_update=True)
    if group is None:
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    cand = _current(session, group, questionnaire, round_no)
    plan = _plan(session, group, cand, round_no)
    if not plan.allowed:
        raise GroupError(plan.reason)
    last_seq = (
        session.scalar(select(func.max(GroupRelease.seq)).where(GroupRelease.group_id == group_id)) or 0
    )
    rel = GroupRelease(
        group_id=group_id,
        seq=last_seq + 1,
        round=round_no,
        n_members=len(cand.contribs),
        carried=len(cand.carried),
        withheld=json.dumps(dict(plan.withheld), sort_keys=True),
    )
    session.add(rel)
    session.flush()
    session.add_all(
        ReleaseMember(
            release_id=rel.id,
            analysis_id=cand.analysis_of[pid],
            project_id=pid,
            version=_version(c),
            answers_version=_version(answer_part(c)),
            items=json.dumps(c, sort_keys=True),
        )
        for pid, c in cand.contribs.items()
    )
    session.add_all(
        ReleaseHistogram(release_id=rel.id, item=item, bin=b, count=c)
        for item, hist in plan.hists.items()
        for b, c in hist.items()
    )
    for scope in (group_region_scope(group, round_no), scopes.instance_scope(group.edition, round_no)):
        scopes.replace_part(
            session, scope, {}, plan.hists, old_members=0, new_members=rel.n_members, new_group=True
        )
    session.commit()
    return ReleaseSummary(rel.id, rel.seq, rel.n_members, rel.created_at, rel.carried)


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


def release_withheld(session: Session, release_id: int) -> dict[str, str]:
    """The items a release withholds (item → reason), as recorded when it was made."""
    raw = session.scalar(select(GroupRelease.withheld).where(GroupRelease.id == release_id))
    found = json.loads(raw) if raw else {}
    return {str(i): str(r) for i, r in found.items()} if isinstance(found, dict) else {}


@dataclass(frozen=True)
class LogEntry:
    """One release of the group, as every member may see it: when, which round, on how many."""

    seq: int
    round: int
    created_at: datetime
    n_members: int
    withdrawn_at: datetime | None
    joined: tuple[datetime, ...]  # when the analyses in it joined the group (deleted ones left out)


def release_log(session: Session, group_id: int) -> list[LogEntry]:
    """Every release of the group with the join dates of its analyses (sock puppets show here)."""
    rels = list(
        session.scalars(
            select(GroupRelease).where(GroupRelease.group_id == group_id).order_by(GroupRelease.seq)
        )
    )
    joined: dict[int, list[datetime]] = {r.id: [] for r in rels}
    rows = session.execute(
        select(ReleaseMember.release_id, Analysis.joined_at)
        .join(Analysis, Analysis.id == ReleaseMember.analysis_id)
        .where(ReleaseMember.release_id.in_(list(joined)))
    )
    for rel_id, at in rows:
        if at is not None:
            joined[rel_id].append(at)
    return [
        LogEntry(r.seq, r.round, r.created_at, r.n_members, r.withdrawn_at, tuple(sorted(joined[r.id])))
        for r in rels
    ]
