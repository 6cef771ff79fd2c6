"""Use cases of team rating: join as a named member, see all ratings, agree on values."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mintqo.db.models import Analysis, Answer, Consensus, Rater
from mintqo.domain.plaintext import clean
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.team import MAX_REASON, StatementRatings, effective_answers, team_statements, validate_name
from mintqo.services.analyses import AnalysisError
from mintqo.services.answers import check_answer, remove, store


@dataclass(frozen=True)
class TeamView:
    """Members and, per statement, their answers, the agreed value and the value that counts."""

    raters: dict[int, str]
    statements: list[StatementRatings]

    @property
    def divergent(self) -> list[StatementRatings]:
        """Statements where members diverge."""
        return [s for s in self.statements if s.divergent]

    @property
    def open_count(self) -> int:
        """Divergent statements without an agreed value."""
        return sum(1 for s in self.statements if s.open)

    @property
    def agreed_count(self) -> int:
        """Divergent statements the team has agreed on."""
        return sum(1 for s in self.statements if s.divergent and s.agreed is not None)


def member(session: Session, analysis_id: int, raw_name: str) -> int:
    """The rater id of a named team member, created on first use; AnalysisError for a bad name."""
    name, error = validate_name(clean(raw_name))
    if name is None:
        raise AnalysisError(error or "Ungültiger Name.")
    # Names match ignoring case, so "alex" on the phone is the same Alex as on the laptop.
    for rater_id, existing in session.execute(
        select(Rater.id, Rater.display_name).where(Rater.analysis_id == analysis_id)
    ):
        if existing.casefold() == name.casefold():
            return rater_id
    if session.get(Analysis, analysis_id) is None:
        raise AnalysisError("Diese Selbstanalyse gibt es nicht (mehr).")
    rater = Rater(analysis_id=analysis_id, display_name=name)
    session.add(rater)
    session.commit()
    return rater.id


def rename(session: Session, analysis_id: int, rater_id: int, raw_name: str) -> str:
    """Give a team member a (new) name; returns it. AnalysisError if taken or invalid."""
    name, error = validate_name(raw_name)
    if name is None:
        raise AnalysisError(error or "Ungültiger Name.")
    rater = session.get(Rater, rater_id)
    if rater is None or rater.analysis_id != analysis_id:
        raise AnalysisError("Diese Person gibt es in dieser Selbstanalyse nicht (mehr).")
    taken = session.scalars(
        select(Rater.display_name).where(Rater.analysis_id == analysis_id, Rater.id != rater_id)
    )
    if any(other.casefold() == name.casefold() for other in taken):
        raise AnalysisError(
            f"„{name}“ heißt schon jemand in Ihrem Team. Bitte wählen Sie einen anderen Namen."
        )
    rater.display_name = name
    session.commit()
    return name


def _ratings(session: Session, analysis_id: int) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    rows = session.execute(
        select(Answer.rater_id, Answer.statement_id, Answer.value).where(Answer.analysis_id == analysis_id)
    )
    for rid, sid, value in rows:
        out.setdefault(rid, {})[sid] = value
    return out


def _agreed(session: Session, analysis_id: int) -> dict[str, tuple[str, str]]:
    rows = session.execute(
        select(Consensus.statement_id, Consensus.value, Consensus.reason).where(
            Consensus.analysis_id == analysis_id
        )
    )
    return {sid: (value, reason) for sid, value, reason in rows}


def team_view(session: Session, q: Questionnaire, analysis_id: int) -> TeamView:
    """Everything the team view shows (only to holders of the project's code)."""
    raters = dict(
        session.execute(
            select(Rater.id, Rater.display_name).where(Rater.analysis_id == analysis_id).order_by(Rater.id)
        ).all()
    )
    ratings = _ratings(session, analysis_id)
    return TeamView(raters, team_statements(q, ratings, _agreed(session, analysis_id)))


def counting_answers(session: Session, q: Questionnaire, analysis_id: int) -> dict[str, str]:
    """The answers the analysis's scores and group figures use (agreed, else the fallback rule)."""
    return effective_answers(q, _ratings(session, analysis_id), _agreed(session, analysis_id))


def counting_answers_many(
    session: Session, q: Questionnaire, analysis_ids: list[int]
) -> dict[int, dict[str, str]]:
    """counting_answers for several analyses in two queries (for releases)."""
    ratings: dict[int, dict[int, dict[str, str]]] = {aid: {} for aid in analysis_ids}
    agreed: dict[int, dict[str, tuple[str, str]]] = {aid: {} for aid in analysis_ids}
    if analysis_ids:
        rows = session.execute(
            select(Answer.analysis_id, Answer.rater_id, Answer.statement_id, Answer.value).where(
                Answer.analysis_id.in_(analysis_ids)
            )
        )
        for aid, rid, sid, value in rows:
            ratings[aid].setdefault(rid, {})[sid] = value
        agreed_rows = session.execute(
            select(Consensus.analysis_id, Consensus.statement_id, Consensus.value, Consensus.reason).where(
                Consensus.analysis_id.in_(analysis_ids)
            )
        )
        for aid, sid, value, reason in agreed_rows:
            agreed[aid][sid] = (value, reason)
    return {aid: effective_answers(q, ratings[aid], agreed[aid]) for aid in analysis_ids}


def agree(
    session: Session,
    q: Questionnaire,
    analysis_id: int,
    statement_id: str,
    value: str | None,
    reason: str = "",
) -> None:
    """Record (or with None withdraw) the team's agreed value for a statement."""
    check_answer(q, statement_id, value)
    reason = clean(reason or "").strip()
    if len(reason) > MAX_REASON:
        raise AnalysisError(f"Die Begründung darf höchstens {MAX_REASON} Zeichen haben.")
    if value is None:
        remove(session, Consensus, analysis_id, Consensus.statement_id == statement_id)
    else:
        store(
            session,
            "consensus",
            {"analysis_id": analysis_id, "statement_id": statement_id},
            {"value": value, "reason": reason},
        )
