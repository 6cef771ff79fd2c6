"""Use cases of one self-analysis: start, describe, submit, reopen (answers: `answers`; resume: `logins`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import bindparam, func, select, update
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
    utcnow,
)
from mintqo.domain.codes import (
    generate_code,
    hash_code,
)
from mintqo.domain.plaintext import clean
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire

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


# Read on every script run: plain columns, not ORM objects (the mapping would cost more than the
# query), and statements built once (building them cost about as much as running them).
# Who has rated: members with at least one answer (the initial "Team" rater may have none).
_RATED = (
    select(func.count(func.distinct(Answer.rater_id)))
    .where(Answer.analysis_id == Analysis.id)
    .scalar_subquery()
)
_INFO = (
    select(
        Analysis.project_id,
        Initiative.name,
        Project.name,
        Initiative.region,
        Project.target_group,
        Project.mint_field,
        Analysis.edition,
        Analysis.round,
        Analysis.status,
        Analysis.created_at,
        Analysis.submitted_at,
        _RATED,
    )
    .join(Project, Analysis.project_id == Project.id)
    .join(Initiative, Project.initiative_id == Initiative.id)
    .where(Analysis.id == bindparam("analysis_id"))
)
_RATERS = (
    select(Rater.id, Rater.display_name)
    .where(Rater.analysis_id == bindparam("analysis_id"))
    .order_by(Rater.id)
)


def analysis_info(session: Session, analysis_id: int, rater_id: int | None = None) -> AnalysisInfo:
    """Names, edition, round and status of an analysis, seen as one team member (default: the first).

    AnalysisError if it does not exist.
    """
    ids = {"analysis_id": analysis_id}
    row = session.execute(_INFO, ids).first()
    if row is None:
        raise AnalysisError("Diese Selbstanalyse gibt es nicht (mehr).")
    raters = session.execute(_RATERS, ids).all()
    if not raters:
        raise AnalysisError("Diese Selbstanalyse hat keine bewertende Person.")
    names = dict(raters)
    if rater_id not in names:
        rater_id = raters[0][0]
    project_id, initiative, project, region, target_group, mint_field, *analysis, team = row
    edition, round_no, status, created_at, submitted_at = analysis
    return AnalysisInfo(
        analysis_id=analysis_id,
        project_id=project_id,
        rater_id=rater_id,
        rater_name=names[rater_id],
        team_size=max(1, team or 0),
        members=len(names),
        initiative=initiative,
        project=project,
        region=region,
        target_group=target_group,
        mint_field=mint_field,
        edition=edition,
        round=round_no,
        status=status,
        created_at=created_at,
        submitted_at=submitted_at,
    )


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
