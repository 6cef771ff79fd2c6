"""Everything one PDF report shows, read once from the database (no layout here)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.services.group_comparisons import SCOPE_NAMES, Comparison
from mintqo.services.measures import MeasureRow
from mintqo.services.results_view import PreviousRound, results_view

__all__ = ["PreviousRound", "ReportData", "collect"]


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
    """Read the report's data through the results page's own use case (services.results_view), so
    page and PDF cannot disagree; `comparison` is the one the page shows (already anonymity-checked)."""
    view = results_view(session, q, info, load_edition=load_edition, with_comparisons=False)
    return ReportData(
        q=q,
        info=info,
        answers=view.answers,
        results=view.results,
        notes=view.notes,
        measures=view.measures,
        previous=view.previous,
        comparison=comparison,
        created=now or datetime.now(),
    )
