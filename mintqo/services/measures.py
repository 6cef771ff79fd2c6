"""Use cases of measures: record, edit, change status, delete, list per project (across rounds)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import delete, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from mintqo.db.models import Analysis, Measure, utcnow
from mintqo.domain.measures import STATUSES, MeasureSpec
from mintqo.domain.plaintext import clean
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services.analyses import AnalysisError


@dataclass(frozen=True)
class MeasureRow:
    """One measure as pages and reports show it."""

    id: int
    subcriterion_id: str
    what: str
    who: str
    due: date | None
    status: str
    note: str
    round: int
    updated_at: datetime


def add_measure(session: Session, q: Questionnaire, analysis_id: int, spec: MeasureSpec) -> int:
    """Record a measure for a sub-criterion of the analysis's project; returns its id."""
    if not q.has_subcriterion(spec.subcriterion_id):
        raise AnalysisError(f"Unbekanntes Unterkriterium „{spec.subcriterion_id}“.")
    project_id = session.scalar(select(Analysis.project_id).where(Analysis.id == analysis_id))
    if project_id is None:
        raise AnalysisError("Diese Selbstanalyse gibt es nicht (mehr).")
    measure = Measure(
        project_id=project_id,
        analysis_id=analysis_id,
        subcriterion_id=spec.subcriterion_id,
        what=clean(spec.what),
        who=clean(spec.who),
        due=spec.due,
        status=spec.status,
        note=clean(spec.note),
    )
    session.add(measure)
    session.commit()
    return measure.id


def set_status(
    session: Session, project_id: int, measure_id: int, status: str, note: str | None = None
) -> None:
    """Change a measure's status (and note); only the project's own measures."""
    if status not in STATUSES:
        raise AnalysisError("Unbekannter Status.")
    values: dict[str, object] = {"status": status, "updated_at": utcnow()}
    if note is not None:
        values["note"] = clean(note).strip()[:2000]
    result = session.execute(
        update(Measure).where(Measure.id == measure_id, Measure.project_id == project_id).values(**values)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        session.rollback()
        raise AnalysisError("Diese Maßnahme gibt es nicht (mehr).")
    session.commit()


def update_measure(
    session: Session, q: Questionnaire, project_id: int, measure_id: int, spec: MeasureSpec
) -> None:
    """Change every field of a measure of the project (what, who, due, sub-criterion, status, note)."""
    if not q.has_subcriterion(spec.subcriterion_id):
        raise AnalysisError(f"Unbekanntes Unterkriterium „{spec.subcriterion_id}“.")
    if spec.status not in STATUSES:
        raise AnalysisError("Unbekannter Status.")
    result = session.execute(
        update(Measure)
        .where(Measure.id == measure_id, Measure.project_id == project_id)
        .values(
            subcriterion_id=spec.subcriterion_id,
            what=spec.what,
            who=spec.who,
            due=spec.due,
            status=spec.status,
            note=spec.note,
            updated_at=utcnow(),
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        session.rollback()
        raise AnalysisError("Diese Maßnahme gibt es nicht (mehr).")
    session.commit()


def delete_measure(session: Session, project_id: int, measure_id: int) -> None:
    """Remove a measure of the project."""
    session.execute(delete(Measure).where(Measure.id == measure_id, Measure.project_id == project_id))
    session.commit()


def measures_of(session: Session, project_id: int) -> list[MeasureRow]:
    """All measures of a project, every round, by due date (open-ended last)."""
    rows = session.execute(
        select(Measure, Analysis.round)
        .join(Analysis, Measure.analysis_id == Analysis.id)
        .where(Measure.project_id == project_id)
        .order_by(Measure.due.is_(None), Measure.due, Measure.id)
    )
    return [
        MeasureRow(m.id, m.subcriterion_id, m.what, m.who, m.due, m.status, m.note, rnd, m.updated_at)
        for m, rnd in rows
    ]
