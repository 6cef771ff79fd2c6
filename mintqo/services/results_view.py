"""The results use case: everything the results page and the PDF report show, read in one session."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, open_points, score_analysis
from mintqo.services import group_comparisons, groups, measures, participation, releases, rounds, team
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.services.answers import notes_of
from mintqo.services.group_comparisons import Comparison
from mintqo.services.groups import GroupInfo
from mintqo.services.measures import MeasureRow
from mintqo.services.participation import LogEntry


@dataclass(frozen=True)
class PreviousRound:
    """The round before the shown one, scored in its own edition."""

    round: int
    results: Results


@dataclass(frozen=True)
class Wall:
    """What the facilitator presents right now: the group, the wall's round and its comparisons."""

    group: GroupInfo
    round: int
    comparisons: Mapping[str, Comparison]


@dataclass(frozen=True)
class ResultsView:
    """One analysis as its results page shows it; group figures only as released / anonymity-checked."""

    info: AnalysisInfo
    answers: Mapping[str, str]  # the counting answers (team rule)
    results: Results
    notes: Mapping[str, NoteState]
    open_points: tuple[tuple[str, str], ...]  # the "weiß nicht" statements (id, text)
    measures: tuple[MeasureRow, ...]  # of this project up to this round
    previous: PreviousRound | None
    newest_round: int  # the project's newest round (a tab may show an older one)
    group: GroupInfo | None
    comparisons: Mapping[str, Comparison]  # every scope the participant may see (empty if not read)
    release_log: tuple[LogEntry, ...]
    wall: Wall | None  # only while the analysis's group presents

    def comparison(self, scope: str | None) -> Comparison | None:
        """The comparison of a scope, or None."""
        return self.comparisons.get(scope) if scope else None


def wall(session: Session, q: Questionnaire, group_id: int) -> Wall | None:
    """The presented group picture ("Sie sind hier"), or None while the group does not present."""
    return _wall(session, q, groups.group_info(session, group_id))


def _wall(session: Session, q: Questionnaire, group: GroupInfo) -> Wall | None:
    if not group.presenting:
        return None
    round_no = releases.presented_round(session, group.id)
    return Wall(group, round_no, group_comparisons.comparisons(session, q, group, None, round_no))


def _previous(
    session: Session,
    info: AnalysisInfo,
    project_rounds: list[rounds.RoundInfo],
    load_edition: Callable[[str], Questionnaire],
) -> PreviousRound | None:
    earlier = [r for r in project_rounds if r.round < info.round]
    if not earlier:
        return None
    prev = earlier[-1]
    q_prev = load_edition(prev.edition)
    return PreviousRound(
        prev.round, score_analysis(q_prev, team.counting_answers(session, q_prev, prev.analysis_id))
    )


def results_view(
    session: Session,
    q: Questionnaire,
    info: AnalysisInfo,
    *,
    load_edition: Callable[[str], Questionnaire],
    with_comparisons: bool = True,
) -> ResultsView:
    """Read the results of the analysis `info` (read this run by app.py) in the given session.

    `with_comparisons=False` leaves the group / region / instance comparisons out: the PDF prints
    the one comparison the page showed, which the page got from this same function.
    """
    answers = team.counting_answers(session, q, info.analysis_id)
    project_rounds = rounds.rounds_of(session, info.project_id)
    group = groups.group_of_analysis(session, info.analysis_id)
    comps = (
        group_comparisons.comparisons(session, q, group, info.region, info.round) if with_comparisons else {}
    )
    return ResultsView(
        info=info,
        answers=answers,
        results=score_analysis(q, answers),
        notes=notes_of(session, info.analysis_id),
        open_points=tuple(open_points(q, answers)),
        # Measures up to this round: a report on round 1 printed later stays a report on round 1.
        measures=tuple(m for m in measures.measures_of(session, info.project_id) if m.round <= info.round),
        previous=_previous(session, info, project_rounds, load_edition),
        newest_round=project_rounds[-1].round if project_rounds else info.round,
        group=group,
        comparisons=comps,
        release_log=tuple(participation.release_log(session, group.id)) if group and with_comparisons else (),
        wall=_wall(session, q, group) if group and with_comparisons else None,
    )
