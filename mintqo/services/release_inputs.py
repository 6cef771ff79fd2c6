"""What a group release would hold (per project, carried or fresh) and the releases it is compared with."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mintqo.db.models import STATUS_SUBMITTED, Analysis, GroupRelease, Measure, ReleaseMember, WorkshopGroup
from mintqo.domain.histograms import contribution
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import team

Contribs = dict[int, dict[str, str] | None]  # project → released contribution (None: deleted)


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


def fingerprint(contrib: dict[str, str]) -> str:
    """A fingerprint of what an analysis adds: any change of its answers changes it."""
    return hashlib.sha256(json.dumps(contrib, sort_keys=True).encode()).hexdigest()[:40]


@dataclass(frozen=True)
class Candidate:
    """What a release of a round would hold: project → contribution and analysis, and which
    projects are carried with the previous round's released state (no new analysis)."""

    contribs: dict[int, dict[str, str]]
    analysis_of: dict[int, int]
    carried: frozenset[int]
    left_out: int  # submitted, but not in the previous round's release: would change the projects


def candidate(
    session: Session, group: WorkshopGroup, questionnaire: Questionnaire, round_no: int = 1
) -> Candidate:
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
    return Candidate(contribs, analysis_of, carried, left_out)


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


def earlier_releases(
    session: Session, group: WorkshopGroup, current: dict[int, dict[str, str]], round_no: int
) -> list[Contribs]:
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


def round_sums(session: Session, cand: Candidate, round_no: int) -> list[tuple[Contribs, Contribs]]:
    """(this round's connected releases plus the candidate, an earlier round's connected releases),
    per earlier round – what adding up several groups' pictures of each round compares. Releases
    are connected through shared projects (a project that moved groups between rounds)."""
    projects, rels = set(cand.contribs), set[int]()
    for _ in range(6):  # groups of a region are linked in a step or two; stop on a fixed point
        found = set(
            session.scalars(select(ReleaseMember.release_id).where(ReleaseMember.project_id.in_(projects)))
        )
        more = set(
            session.scalars(select(ReleaseMember.project_id).where(ReleaseMember.release_id.in_(found)))
        )
        if found == rels and more <= projects:
            break
        rels, projects = found, projects | {p for p in more if p is not None}
    rows = session.execute(
        select(GroupRelease.round, ReleaseMember.project_id, ReleaseMember.items)
        .join(ReleaseMember, ReleaseMember.release_id == GroupRelease.id)
        .where(GroupRelease.id.in_(rels))
    )
    by_round: dict[int, dict[int, dict[str, str] | None]] = {}
    for rel_round, pid, items in rows:
        if pid is not None:
            known = None if items is None or items == DELETED_ITEMS else json.loads(items)
            by_round.setdefault(rel_round, {})[pid] = known
    this_round = by_round.pop(round_no, {})
    if not this_round:
        return []  # nothing to add up in this round: `_earlier` covers the comparisons
    new: dict[int, dict[str, str] | None] = {**this_round, **cand.contribs}
    return [(new, old) for old in by_round.values()]
