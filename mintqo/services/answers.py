"""Answering: record and read answers, notes and flags; guarded row writes, refused once submitted."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from mintqo.db.models import Analysis, Answer, Consensus, SubcriterionNote, utcnow
from mintqo.db.writes import draft, upsert_now
from mintqo.domain.plaintext import clean
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.services.analyses import LOCKED, MAX_NOTE_LENGTH, AnalysisError, NoteState

MISSING = "Diese Selbstanalyse gibt es nicht (mehr)."

__all__ = [
    "MAX_NOTE_LENGTH",
    "NoteState",
    "answer_of",
    "answers_of",
    "note_of",
    "notes_of",
    "record_answer",
    "save_note",
]


def refusal(session: Session, analysis_id: int) -> AnalysisError:
    """Why a guarded write changed nothing: the analysis is gone or submitted (German message)."""
    session.rollback()
    exists = session.scalar(select(Analysis.id).where(Analysis.id == analysis_id))
    return AnalysisError(MISSING if exists is None else LOCKED)


def record_answer(
    session: Session,
    questionnaire: Questionnaire,
    analysis_id: int,
    rater_id: int,
    statement_id: str,
    value: str | None,
) -> None:
    """Store (or with None clear) one answer at once; repeating the same call changes nothing.

    AnalysisError (German) for an unknown statement or value, and for a submitted analysis.
    """
    check_answer(questionnaire, statement_id, value)
    if value is None:
        remove(session, Answer, analysis_id, Answer.rater_id == rater_id, Answer.statement_id == statement_id)
    else:
        store(
            session,
            "answer",
            {"analysis_id": analysis_id, "rater_id": rater_id, "statement_id": statement_id},
            {"value": value},
        )


def check_answer(questionnaire: Questionnaire, statement_id: str, value: str | None) -> None:
    """AnalysisError (German) for an unknown statement or a value (other than None) not on the scale."""
    if not questionnaire.has_statement(statement_id):
        raise AnalysisError(f"Unbekannte Aussage „{statement_id}“.")
    if value is not None and value not in ANSWER_VALUES:
        raise AnalysisError(f"Ungültige Antwort „{value}“.")


def store(
    session: Session,
    table_name: str,
    ids: dict[str, Any],
    values: dict[str, Any],
    *,
    keep_if_null: dict[str, Any] | None = None,
) -> None:
    """Upsert and commit one row of a draft analysis (keyed by `ids`), stamped now, or AnalysisError."""
    written = upsert_now(
        session,
        table_name,
        {**ids, **values, "updated_at": utcnow()},
        key=tuple(ids),
        update=(*values, "updated_at"),
        keep_if_null=keep_if_null,
    )
    if not written:
        raise refusal(session, ids["analysis_id"])


def remove(session: Session, model: type[Answer | Consensus], analysis_id: int, *where: Any) -> None:
    """Delete and commit a draft analysis's rows matching `where`; AnalysisError if gone or submitted."""
    result = session.connection().execute(
        delete(model).where(model.analysis_id == analysis_id, *where, draft(analysis_id))
    )
    session.commit()
    # Nothing deleted: either there was no row, or the analysis is locked – say which.
    if result.rowcount == 0 and not is_draft(session, analysis_id):
        raise refusal(session, analysis_id)


def is_draft(session: Session, analysis_id: int) -> bool:
    """Whether the analysis exists and may still be changed."""
    return bool(session.scalar(select(draft(analysis_id))))


def answers_of(session: Session, analysis_id: int, rater_id: int) -> dict[str, str]:
    """All answers of one rater, keyed by statement id."""
    rows = session.execute(
        select(Answer.statement_id, Answer.value).where(
            Answer.analysis_id == analysis_id, Answer.rater_id == rater_id
        )
    )
    return {sid: value for sid, value in rows}


def answer_of(session: Session, analysis_id: int, rater_id: int, statement_id: str) -> str | None:
    """One rater's stored answer to one statement, or None."""
    return session.scalar(
        select(Answer.value).where(
            Answer.analysis_id == analysis_id,
            Answer.rater_id == rater_id,
            Answer.statement_id == statement_id,
        )
    )


def save_note(
    session: Session,
    questionnaire: Questionnaire,
    analysis_id: int,
    subcriterion_id: str,
    *,
    note: str | None = None,
    action_needed: bool | None = None,
) -> None:
    """Store the note and/or the flag of one sub-criterion (fields left None stay as they are).

    AnalysisError (German) for an unknown sub-criterion, a too long note, a missing or a
    submitted analysis.
    """
    if not questionnaire.has_subcriterion(subcriterion_id):
        raise AnalysisError(f"Unbekanntes Unterkriterium „{subcriterion_id}“.")
    note = None if note is None else clean(note)
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise AnalysisError(f"Die Notiz ist zu lang (höchstens {MAX_NOTE_LENGTH} Zeichen).")
    store(
        session,
        "subcriterion_note",
        {"analysis_id": analysis_id, "subcriterion_id": subcriterion_id},
        {"note": note, "action_needed": action_needed},
        keep_if_null={"note": "", "action_needed": False},
    )


def notes_of(session: Session, analysis_id: int) -> dict[str, NoteState]:
    """Notes and flags of an analysis, keyed by sub-criterion id."""
    rows = session.execute(
        select(
            SubcriterionNote.subcriterion_id,
            SubcriterionNote.note,
            SubcriterionNote.action_needed,
        ).where(SubcriterionNote.analysis_id == analysis_id)
    )
    return {sid: NoteState(note, flag) for sid, note, flag in rows}


def note_of(session: Session, analysis_id: int, subcriterion_id: str) -> NoteState:
    """The stored note and flag of one sub-criterion (empty when none is stored)."""
    row = session.execute(
        select(SubcriterionNote.note, SubcriterionNote.action_needed).where(
            SubcriterionNote.analysis_id == analysis_id,
            SubcriterionNote.subcriterion_id == subcriterion_id,
        )
    ).first()
    return NoteState(row.note, row.action_needed) if row else NoteState()


def last_saved(
    session: Session, analysis_id: int, rater_id: int, statement_ids: Iterable[str], subcriterion_id: str
) -> datetime | None:
    """When the newest stored answer (of this rater) or note of one step was written, if any."""
    answered = session.scalar(
        select(func.max(Answer.updated_at)).where(
            Answer.analysis_id == analysis_id,
            Answer.rater_id == rater_id,
            Answer.statement_id.in_(list(statement_ids)),
        )
    )
    noted = session.scalar(
        select(func.max(SubcriterionNote.updated_at)).where(
            SubcriterionNote.analysis_id == analysis_id,
            SubcriterionNote.subcriterion_id == subcriterion_id,
        )
    )
    times = [t for t in (answered, noted) if t is not None]
    return max(times) if times else None
