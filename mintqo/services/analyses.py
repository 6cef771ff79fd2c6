"""Use cases of one self-analysis: start, resume, record answers and notes, submit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Boolean, Exists, Insert, String, Text, bindparam, exists, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from mintqo.db.models import (
    ROLE_PROJECT,
    STATUS_DRAFT,
    STATUS_SUBMITTED,
    AccessCode,
    Analysis,
    Answer,
    Initiative,
    Project,
    Rater,
    SubcriterionNote,
    utcnow,
)
from mintqo.domain.codes import (
    generate_code,
    hash_code,
)
from mintqo.domain.plaintext import clean
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire

DEFAULT_RATER = "Team"
LOCKED = "Diese Selbstanalyse ist abgeschlossen; Antworten lassen sich erst nach „Wieder öffnen“ ändern."
MAX_NOTE_LENGTH = 5000


class AnalysisError(ValueError):
    """A use case was asked for something that cannot be done (German message)."""


@dataclass(frozen=True)
class Started:
    """Result of starting an analysis: its id and the access code, shown exactly once."""

    analysis_id: int
    code: str


@dataclass(frozen=True)
class AnalysisInfo:
    """What the pages need to know about an open analysis."""

    analysis_id: int
    project_id: int
    rater_id: int
    rater_name: str
    team_size: int  # members who have rated
    members: int  # everyone who joined, rated or not
    initiative: str
    project: str
    region: str | None
    target_group: str | None
    mint_field: str | None
    edition: str
    round: int
    status: str
    created_at: datetime
    submitted_at: datetime | None

    @property
    def submitted(self) -> bool:
        """Whether the analysis has been marked as finished."""
        return self.status == STATUS_SUBMITTED


@dataclass(frozen=True)
class NoteState:
    """Note and flag of one sub-criterion."""

    note: str = ""
    action_needed: bool = False


@lru_cache(maxsize=8)
def _upsert(dialect: str, table: str) -> Insert:
    """INSERT … ON CONFLICT DO UPDATE for SQLite or PostgreSQL, built once and reused.

    Reusing one statement object lets SQLAlchemy skip re-building and re-keying it on
    every autosave, which is most of the cost of a single small write.
    """
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    if table == "answer":
        # INSERT … SELECT … WHERE the analysis is still a draft: a stale tab cannot change a
        # submitted analysis, and the guard costs no extra round trip.
        cols = ("analysis_id", "rater_id", "statement_id", "value", "updated_at")
        values = select(
            bindparam("analysis_id", type_=Answer.__table__.c.analysis_id.type),
            bindparam("rater_id", type_=Answer.__table__.c.rater_id.type),
            bindparam("statement_id", type_=String),
            bindparam("value", type_=String),
            bindparam("updated_at", type_=Answer.__table__.c.updated_at.type),
        ).where(_is_draft())
        ins = insert(Answer.__table__).from_select(cols, values)
        # The row count tells a refused write (0) from a stored one; SQLAlchemy keeps it for
        # INSERT only when asked to.
        return ins.on_conflict_do_update(
            index_elements=["analysis_id", "rater_id", "statement_id"],
            set_={"value": ins.excluded.value, "updated_at": ins.excluded.updated_at},
        ).execution_options(preserve_rowcount=True)
    ins = insert(SubcriterionNote.__table__)
    return ins.on_conflict_do_update(
        index_elements=["analysis_id", "subcriterion_id"],
        set_={
            "note": func.coalesce(bindparam("new_note", type_=Text), SubcriterionNote.__table__.c.note),
            "action_needed": func.coalesce(
                bindparam("new_flag", type_=Boolean), SubcriterionNote.__table__.c.action_needed
            ),
            "updated_at": ins.excluded.updated_at,
        },
    )


def _is_draft() -> Exists:
    return exists().where(
        Analysis.id == bindparam("analysis_id"),
        Analysis.status == literal(STATUS_DRAFT),
    )


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def start_analysis(session: Session, questionnaire: Questionnaire, profile: Profile) -> Started:
    """Create initiative, project, first-round analysis, default rater and access code."""
    code = generate_code()
    initiative = Initiative(name=clean(profile.initiative), region=profile.region and clean(profile.region))
    project = Project(
        initiative=initiative,
        name=clean(profile.project),
        target_group=profile.target_group and clean(profile.target_group),
        mint_field=profile.mint_field,
    )
    analysis = Analysis(project=project, edition=questionnaire.edition, round=1, status=STATUS_DRAFT)
    session.add_all([initiative, project, analysis])
    session.flush()
    session.add(Rater(analysis_id=analysis.id, display_name=DEFAULT_RATER))
    session.add(AccessCode(code_hash=hash_code(code), role=ROLE_PROJECT, project_id=project.id))
    session.commit()
    return Started(analysis.id, code)


def analysis_info(session: Session, analysis_id: int, rater_id: int | None = None) -> AnalysisInfo:
    """Names, edition, round and status of an analysis, seen as one team member (default: the first).

    AnalysisError if it does not exist.
    """
    row = session.execute(
        select(Analysis, Project, Initiative)
        .join(Project, Analysis.project_id == Project.id)
        .join(Initiative, Project.initiative_id == Initiative.id)
        .where(Analysis.id == analysis_id)
    ).first()
    if row is None:
        raise AnalysisError("Diese Selbstanalyse gibt es nicht (mehr).")
    analysis, project, initiative = row
    raters = session.execute(
        select(Rater.id, Rater.display_name).where(Rater.analysis_id == analysis_id).order_by(Rater.id)
    ).all()
    if not raters:
        raise AnalysisError("Diese Selbstanalyse hat keine bewertende Person.")
    names = dict(raters)
    if rater_id not in names:
        rater_id = raters[0][0]
    # Who has rated: members with at least one answer (the initial "Team" rater may have none).
    rated = session.scalar(
        select(func.count(func.distinct(Answer.rater_id))).where(Answer.analysis_id == analysis_id)
    )
    return AnalysisInfo(
        analysis_id=analysis.id,
        project_id=project.id,
        rater_id=rater_id,
        rater_name=names[rater_id],
        team_size=max(1, rated or 0),
        members=len(names),
        initiative=initiative.name,
        project=project.name,
        region=initiative.region,
        target_group=project.target_group,
        mint_field=project.mint_field,
        edition=analysis.edition,
        round=analysis.round,
        status=analysis.status,
        created_at=analysis.created_at,
        submitted_at=analysis.submitted_at,
    )


def record_answer(
    session: Session,
    questionnaire: Questionnaire,
    analysis_id: int,
    rater_id: int,
    statement_id: str,
    value: str | None,
) -> None:
    """Store (or with None clear) one answer at once; repeating the same call changes nothing."""
    if not questionnaire.has_statement(statement_id):
        raise AnalysisError(f"Unbekannte Aussage „{statement_id}“.")
    if value is None:
        result = session.execute(
            Answer.__table__.delete().where(
                Answer.analysis_id == analysis_id,
                Answer.rater_id == rater_id,
                Answer.statement_id == statement_id,
                _is_draft(),
            ),
            {"analysis_id": analysis_id},
        )
        session.commit()
        # Nothing deleted: either there was no answer, or the analysis is locked – say which.
        if cast(CursorResult[Any], result).rowcount == 0 and session.scalar(
            select(Analysis.status).where(Analysis.id == analysis_id)
        ) != (STATUS_DRAFT):
            raise AnalysisError(LOCKED)
        return
    if value not in ANSWER_VALUES:
        raise AnalysisError(f"Ungültige Antwort „{value}“.")
    # Core execution on the session's connection: the ORM layer adds nothing to a plain upsert.
    result = session.connection().execute(
        _upsert(_dialect(session), "answer"),
        {
            "analysis_id": analysis_id,
            "rater_id": rater_id,
            "statement_id": statement_id,
            "value": value,
            "updated_at": utcnow(),
        },
    )
    session.commit()
    if result.rowcount == 0:
        raise AnalysisError(LOCKED)


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
    """Store the note and/or the flag of one sub-criterion (fields left None stay as they are)."""
    if not questionnaire.has_subcriterion(subcriterion_id):
        raise AnalysisError(f"Unbekanntes Unterkriterium „{subcriterion_id}“.")
    note = None if note is None else clean(note)
    if note is not None and len(note) > MAX_NOTE_LENGTH:
        raise AnalysisError(f"Die Notiz ist zu lang (höchstens {MAX_NOTE_LENGTH} Zeichen).")
    session.execute(
        _upsert(_dialect(session), "note"),
        {
            "analysis_id": analysis_id,
            "subcriterion_id": subcriterion_id,
            "note": note or "",
            "action_needed": bool(action_needed),
            "new_note": note,
            "new_flag": action_needed,
            "updated_at": utcnow(),
        },
    )
    session.commit()


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


def _set_status(session: Session, analysis_id: int, status: str) -> None:
    now = utcnow()
    result = session.execute(
        update(Analysis)
        .where(Analysis.id == analysis_id)
        .values(
            status=status,
            updated_at=now,
            submitted_at=now if status == STATUS_SUBMITTED else None,
        )
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        session.rollback()
        raise AnalysisError("Diese Selbstanalyse gibt es nicht (mehr).")
    session.commit()


def submit(session: Session, analysis_id: int) -> None:
    """Mark the analysis as finished ("Selbstanalyse abschließen")."""
    _set_status(session, analysis_id, STATUS_SUBMITTED)


def reopen(session: Session, analysis_id: int) -> None:
    """Put a finished analysis back into draft so it can be changed."""
    _set_status(session, analysis_id, STATUS_DRAFT)
