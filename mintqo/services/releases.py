"""Releases of a group's picture, once per round, and what each release withholds.

Group figures change only here: a round's picture is released once, checked by
`release_plan.plan_release` against every earlier round, and its shown items are folded into the
region and instance sums.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mintqo.db.models import (
    Analysis,
    GroupRelease,
    ReleaseHistogram,
    ReleaseMember,
    WorkshopGroup,
)
from mintqo.domain import release_plan
from mintqo.domain.histograms import answer_part, from_rows
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import release_inputs, scopes
from mintqo.services.groups import GroupError


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


def rounds_in(session: Session, group_id: int) -> list[int]:
    """The rounds the group's analyses are in (1 until projects start a second round)."""
    found = session.scalars(select(Analysis.round).where(Analysis.group_id == group_id).distinct())
    return sorted(set(found) | {1})


def released_rounds(session: Session, group_id: int) -> list[int]:
    """The rounds with a released picture that was not withdrawn, oldest first."""
    found = session.scalars(
        select(GroupRelease.round)
        .where(GroupRelease.group_id == group_id, GroupRelease.withdrawn_at.is_(None))
        .distinct()
    )
    return sorted(set(found))


def presented_round(session: Session, group_id: int) -> int:
    """The round presentation and "Sie sind hier" show: the facilitator's pick, else the newest released."""
    released = released_rounds(session, group_id)
    picked = session.scalar(select(WorkshopGroup.shown_round).where(WorkshopGroup.id == group_id))
    if picked in released:
        return int(picked)
    return released[-1] if released else 1


def _plan(
    session: Session, group: WorkshopGroup, cand: release_inputs.Candidate, round_no: int
) -> release_plan.ReleasePlan:
    """The anonymity rules for releasing this candidate."""
    rels = list(
        session.scalars(
            select(GroupRelease).where(GroupRelease.group_id == group.id, GroupRelease.round == round_no)
        )
    )
    return release_plan.plan_release(
        cand.contribs,
        release_inputs.earlier_releases(session, group, cand.contribs, round_no),
        group.k,
        round_released=any(r.withdrawn_at is None for r in rels),
        round_withdrawn=bool(rels) and all(r.withdrawn_at is not None for r in rels),
        carried=cand.carried,
        sums=release_inputs.round_sums(session, cand, round_no),
    )


def release_check(
    session: Session, group_id: int, questionnaire: Questionnaire, round_no: int = 1
) -> release_plan.ReleasePlan:
    """Whether the facilitator may release the group picture of a round now, and if not, why."""
    group = session.get(WorkshopGroup, group_id)
    if group is None:
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    cand = release_inputs.candidate(session, group, questionnaire, round_no)
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
    cand = release_inputs.candidate(session, group, questionnaire, round_no)
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
            version=release_inputs.fingerprint(c),
            answers_version=release_inputs.fingerprint(answer_part(c)),
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
