"""The group dashboard use case: what the facilitator's page shows for one round, read in one session."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.release_plan import ReleasePlan
from mintqo.services import group_comparisons, participation, releases
from mintqo.services.group_comparisons import Comparison
from mintqo.services.groups import GroupInfo
from mintqo.services.participation import LogEntry, Participant


@dataclass(frozen=True)
class DashboardView:
    """One round of a group as the facilitator sees it; group figures only as released."""

    rounds: tuple[int, ...]  # the group's rounds, oldest first
    round: int  # the shown round
    people: tuple[Participant, ...]  # of the shown round
    decision: ReleasePlan  # whether the round may be released now
    latest: releases.ReleaseSummary | None  # the round's live release
    comparison: Comparison  # the round's released group picture (or why there is none)
    release_log: tuple[LogEntry, ...]
    before: GroupPicture | None  # the previous round's released picture (workshop part 3)


def _group_comparison(session: Session, q: Questionnaire, group: GroupInfo, round_no: int) -> Comparison:
    """The group's released picture of a round (the dashboard shows no region or instance scope)."""
    comps = group_comparisons.comparisons(session, q, group, None, round_no, group_only=True)
    return comps[group_comparisons.GROUP]


def dashboard_view(
    session: Session, q: Questionnaire, group: GroupInfo, round_no: int | None = None
) -> DashboardView:
    """Read the dashboard of `group` for `round_no` (None or unknown: the newest round)."""
    rounds = releases.rounds_in(session, group.id)
    shown = round_no if round_no in rounds else rounds[-1]
    before = _group_comparison(session, q, group, shown - 1).picture if shown > 1 else None
    return DashboardView(
        rounds=tuple(rounds),
        round=shown,
        people=tuple(p for p in participation.participation(session, group.id, q) if p.round == shown),
        decision=releases.release_check(session, group.id, q, shown),
        latest=releases.latest_release(session, group.id, shown),
        comparison=_group_comparison(session, q, group, shown),
        release_log=tuple(participation.release_log(session, group.id)),
        before=before,
    )
