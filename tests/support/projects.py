"""Test data built through the services: workshop groups and projects with answered analyses."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from mintqo.domain import workshop
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import analyses, groups
from mintqo.services.answers import record_answer, save_note


@dataclasses.dataclass
class Proj:
    """A test project's current analysis, its default rater, its access code and the answers given."""

    name: str
    project_id: int
    analysis_id: int
    rater_id: int
    code: str
    answers: dict[str, str]


def workshop_group(
    session: Session,
    q: Questionnaire,
    name: str = "Workshop Nord",
    region: str = "Nord",
    *,
    k: int = 3,
    part2: date | None = None,
) -> groups.CreatedGroup:
    """A new workshop group with privacy threshold k (validated like the moderation form does)."""
    spec, errors = workshop.validate_group(name, region, None, part2, None, k)
    assert errors == {} and spec is not None
    return groups.create_group(session, q, spec)


def start_project(
    session: Session,
    q: Questionnaire,
    name: str,
    answers: Mapping[str, str],
    join_code: str | None = None,
    *,
    submit: bool = True,
    region: str = "Nord",
    note: str | None = None,
) -> Proj:
    """A new project "Projekt {name}" (optionally in a group) with these answers, a flagged note on A1
    if `note` is given, submitted unless `submit` is False."""
    started = groups.start_in_group(
        session, q, Profile(f"Initiative {name}", f"Projekt {name}", region=region), join_code
    )
    info = analyses.analysis_info(session, started.analysis_id)
    for sid, value in answers.items():
        record_answer(session, q, info.analysis_id, info.rater_id, sid, value)
    if note is not None:
        save_note(session, q, info.analysis_id, "A1", note=note, action_needed=True)
    if submit:
        analyses.submit(session, info.analysis_id)
    return Proj(name, info.project_id, info.analysis_id, info.rater_id, started.code, dict(answers))
