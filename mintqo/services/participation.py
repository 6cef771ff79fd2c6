"""Who takes part in a workshop group: started / submitted per project and the release log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mintqo.db.models import (
    STATUS_SUBMITTED,
    Analysis,
    Answer,
    GroupRelease,
    Initiative,
    Project,
    ReleaseMember,
)
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services.releases import latest_release, rounds_in


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


def participation(session: Session, group_id: int, questionnaire: Questionnaire) -> list[Participant]:
    """Started / submitted per project of the group (no progress counts, no ratings)."""
    released: set[int] = set()
    for round_no in rounds_in(session, group_id):
        latest = latest_release(session, group_id, round_no)
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
