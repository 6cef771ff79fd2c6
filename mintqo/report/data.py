"""Everything one PDF report shows, read once from the database (no layout here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, score_analysis
from mintqo.services import measures, rounds, team
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.services.answers import notes_of
from mintqo.services.benchmarks import SCOPE_NAMES, Comparison
from mintqo.services.measures import MeasureRow


@dataclass(frozen=True)
class PreviousRound:
    """The round before the reported one, scored in its own edition."""

    round: int
    results: Results


@dataclass(frozen=True)
class ReportData:
    """One analysis with its scores, notes, measures, earlier round and the chosen comparison."""

    q: Questionnaire
    info: AnalysisInfo
    answers: Mapping[str, str]
    results: Results
    notes: Mapping[str, NoteState]
    measures: tuple[MeasureRow, ...]
    previous: PreviousRound | None
    comparison: Comparison | None
    created: datetime

    @property
    def band(self) -> GroupPicture | None:
        """The released group picture to draw, or None (no comparison, or it did not pass the rules)."""
        return self.comparison.picture if self.comparison else None

    @property
    def band_name(self) -> str:
        """Short name of the comparison scope, as in the results page's legend."""
        return SCOPE_NAMES[self.comparison.scope] if self.comparison else ""


def collect(
    session: Session,
    q: Questionnaire,
    info: AnalysisInfo,
    comparison: Comparison | None,
    *,
    load_edition: Callable[[str], Questionnaire],
    now: datetime | None = None,
) -> ReportData:
    """Read the report's data; `comparison` is the one the results page shows (already anonymity-checked)."""
    answers = team.counting_answers(session, q, info.analysis_id)
    previous = None
    prev = rounds.previous_round(session, info.project_id, info.round) if info.round > 1 else None
    if prev is not None:
        q_prev = load_edition(prev.edition)
        before = score_analysis(q_prev, team.counting_answers(session, q_prev, prev.analysis_id))
        previous = PreviousRound(prev.round, before)
    return ReportData(
        q=q,
        info=info,
        answers=answers,
        results=score_analysis(q, answers),
        notes=notes_of(session, info.analysis_id),
        # Measures up to this round: a report on round 1 printed later stays a report on round 1.
        measures=tuple(m for m in measures.measures_of(session, info.project_id) if m.round <= info.round),
        previous=previous,
        comparison=comparison,
        created=now or datetime.now(),
    )
