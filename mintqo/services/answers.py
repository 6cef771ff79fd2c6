"""Use cases of answering: record answers, notes and flags (refused once submitted), read them back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, delete, select
from sqlalchemy.orm import Session

from mintqo.db.models import Analysis, Answer, Consensus, SubcriterionNote, utcnow
from mintqo.db.writes import draft, short_transaction, upsert, upsert_now
from mintqo.domain.plaintext import clean
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.services.analyses import LOCKED, MAX_NOTE_LENGTH, AnalysisError, NoteState

MISSING = "Diese Selbstanalyse gibt es nicht (mehr)."

__all__ = [
    "MAX_NOTE_LENGTH",
    "NoteState",
    "answers_of",
    "notes_of",
    "record_answer",
    "replace_answer",
    "replace_note",
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
    deleted = _delete_rows(session.connection(), model, analysis_id, *where)
    session.commit()
    # Nothing deleted: either there was no row, or the analysis is locked – say which.
    if deleted == 0 and not is_draft(session, analysis_id):
        raise refusal(session, analysis_id)


def _delete_rows(
    connection: Connection, model: type[Answer | Consensus], analysis_id: int, *where: Any
) -> int:
    """Delete a draft analysis's rows matching `where` (guarded); how many were deleted."""
    result = connection.execute(
        delete(model).where(model.analysis_id == analysis_id, *where, draft(analysis_id))
    )
    return int(result.rowcount)


_ANSWER: dict[str, Any] = {
    "key": ("analysis_id", "rater_id", "statement_id"),
    "update": ("value", "updated_at"),
}
_NOTE: dict[str, Any] = {
    "key": ("analysis_id", "subcriterion_id"),
    "update": ("note", "action_needed", "updated_at"),
    "keep_if_null": {"note": "", "action_needed": False},
}


# The stored answer / note a save replaces, built once: building a select per save cost more
# than running it (bench.walkthrough, autosave).
_STORED_ANSWER = select(Answer.value).where(
    Answer.analysis_id == bindparam("analysis_id"),
    Answer.rater_id == bindparam("rater_id"),
    Answer.statement_id == bindparam("statement_id"),
)
_STORED_NOTE = select(SubcriterionNote.note, SubcriterionNote.action_needed).where(
    SubcriterionNote.analysis_id == bindparam("analysis_id"),
    SubcriterionNote.subcriterion_id == bindparam("subcriterion_id"),
)


def _answer_row(analysis_id: int, rater_id: int, statement_id: str, value: str) -> dict[str, Any]:
    return {
        "analysis_id": analysis_id,
        "rater_id": rater_id,
        "statement_id": statement_id,
        "value": value,
        "updated_at": utcnow(),
    }


def replace_answer(
    session: Session,
    questionnaire: Questionnaire,
    analysis_id: int,
    rater_id: int,
    statement_id: str,
    value: str | None,
) -> str | None:
    """record_answer, returning the answer stored before (None: none), read in the same transaction.

    The walkthrough compares it with what the tab showed ("changed in another window").
    """
    check_answer(questionnaire, statement_id, value)
    with short_transaction(session) as connection:
        ids = {"analysis_id": analysis_id, "rater_id": rater_id, "statement_id": statement_id}
        before = connection.scalar(_STORED_ANSWER, ids)
        if value is None:
            which = (Answer.rater_id == rater_id, Answer.statement_id == statement_id)
            written = before is None or _delete_rows(connection, Answer, analysis_id, *which) > 0
        else:
            row = _answer_row(analysis_id, rater_id, statement_id, value)
            written = upsert(connection, "answer", row, **_ANSWER)
    # Nothing written (or nothing to clear): the analysis may be gone or submitted – say which.
    if not written or (before is None and value is None and not is_draft(session, analysis_id)):
        raise refusal(session, analysis_id)
    return before


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
    replace_note(session, questionnaire, analysis_id, subcriterion_id, note=note, action_needed=action_needed)


def _note_row(
    questionnaire: Questionnaire,
    analysis_id: int,
    subcriterion_id: str,
    note: str | None,
    action_needed: bool | None,
) -> dict[str, Any]:
    if not questionnaire.has_subcriterion(subcriterion_id):
        raise AnalysisError(f"Unbekanntes Unterkriterium „{subcriterion_id}“.")
    note = None if note is None else clean(note)
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise AnalysisError(f"Die Notiz ist zu lang (höchstens {MAX_NOTE_LENGTH} Zeichen).")
    return {
        "analysis_id": analysis_id,
        "subcriterion_id": subcriterion_id,
        "note": note,
        "action_needed": action_needed,
        "updated_at": utcnow(),
    }


def replace_note(
    session: Session,
    questionnaire: Questionnaire,
    analysis_id: int,
    subcriterion_id: str,
    *,
    note: str | None = None,
    action_needed: bool | None = None,
) -> NoteState:
    """save_note, returning the note and flag stored before, read in the same transaction."""
    row = _note_row(questionnaire, analysis_id, subcriterion_id, note, action_needed)
    with short_transaction(session) as connection:
        ids = {"analysis_id": analysis_id, "subcriterion_id": subcriterion_id}
        stored = connection.execute(_STORED_NOTE, ids).first()
        written = upsert(connection, "subcriterion_note", row, **_NOTE)
    if not written:
        raise refusal(session, analysis_id)
    return NoteState(stored.note, stored.action_needed) if stored else NoteState()


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
