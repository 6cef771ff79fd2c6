"""Use cases of rounds: start the next round (optionally pre-filled) and find the previous one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mintqo.db.models import (
    STATUS_DRAFT,
    STATUS_SUBMITTED,
    Analysis,
    Answer,
    Consensus,
    Rater,
    WorkshopGroup,
    utcnow,
)
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.rounds import carry_over
from mintqo.services.analyses import AnalysisError


@dataclass(frozen=True)
class RoundInfo:
    """One round of a project."""

    analysis_id: int
    round: int
    edition: str
    status: str


def rounds_of(session: Session, project_id: int) -> list[RoundInfo]:
    """All rounds of a project, oldest first."""
    rows = session.execute(
        select(Analysis.id, Analysis.round, Analysis.edition, Analysis.status)
        .where(Analysis.project_id == project_id)
        .order_by(Analysis.round)
    )
    return [RoundInfo(*row) for row in rows]


def previous_round(session: Session, project_id: int, round_no: int) -> RoundInfo | None:
    """The round before `round_no`, if any."""
    earlier = [r for r in rounds_of(session, project_id) if r.round < round_no]
    return earlier[-1] if earlier else None


def start_next_round(
    session: Session,
    current: Questionnaire,
    previous_q: Questionnaire,
    project_id: int,
    *,
    prefill: bool,
) -> int:
    """Open the next round on the current edition; with `prefill`, every member's answers and the
    agreed values of the last round are carried over (matched by id or the edition's mapping)."""
    rounds = rounds_of(session, project_id)
    if not rounds:
        raise AnalysisError("Zu diesem Projekt gibt es noch keine Selbstanalyse.")
    last = rounds[-1]
    if last.status != STATUS_SUBMITTED:
        raise AnalysisError(f"Bitte schließen Sie zuerst Runde {last.round} ab.")
    if previous_q.edition != last.edition:
        raise AnalysisError("Interner Fehler: falsche Ausgabe für die letzte Runde.")
    now = utcnow()
    last_row = session.get(Analysis, last.analysis_id)
    group_edition = (
        session.scalar(select(WorkshopGroup.edition).where(WorkshopGroup.id == last_row.group_id))
        if last_row is not None and last_row.group_id is not None
        else None
    )
    # The next round stays in the workshop group (part 3 compares the rounds), if the edition fits.
    group_id = last_row.group_id if last_row is not None and group_edition == current.edition else None
    new = Analysis(
        project_id=project_id,
        edition=current.edition,
        round=last.round + 1,
        status=STATUS_DRAFT,
        created_at=now,
        updated_at=now,
        group_id=group_id,
        joined_at=now if group_id else None,
    )
    session.add(new)
    session.flush()
    raters = session.execute(
        select(Rater.id, Rater.display_name).where(Rater.analysis_id == last.analysis_id).order_by(Rater.id)
    ).all()
    for old_id, name in raters:
        rater = Rater(analysis_id=new.id, display_name=name)
        session.add(rater)
        session.flush()
        if not prefill:
            continue
        answers = dict(
            session.execute(
                select(Answer.statement_id, Answer.value).where(
                    Answer.analysis_id == last.analysis_id, Answer.rater_id == old_id
                )
            ).all()
        )
        for sid, value in carry_over(previous_q, current, answers).items():
            session.add(
                Answer(analysis_id=new.id, rater_id=rater.id, statement_id=sid, value=value, updated_at=now)
            )
    if prefill:
        agreed = session.execute(
            select(Consensus.statement_id, Consensus.value, Consensus.reason).where(
                Consensus.analysis_id == last.analysis_id
            )
        ).all()
        carried = carry_over(previous_q, current, {sid: sid for sid, _, _ in agreed})
        back = {old: new_id for new_id, old in carried.items()}
        for sid, value, reason in agreed:
            if sid in back:
                session.add(
                    Consensus(
                        analysis_id=new.id, statement_id=back[sid], value=value, reason=reason, updated_at=now
                    )
                )
    session.commit()
    return new.id
