"""Use cases of a workshop group: create, log in, join, join codes, presentation state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from mintqo.db.models import (
    Analysis,
    WorkshopGroup,
    utcnow,
)
from mintqo.domain import anonymity
from mintqo.domain.codes import generate_code, hash_code, normalize_code
from mintqo.domain.plaintext import clean
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import GroupSpec, region_key
from mintqo.services import analyses, logins, scopes


class GroupError(ValueError):
    """A group use case cannot be done; the message is German and meant for the user."""


@dataclass(frozen=True)
class CreatedGroup:
    """A new group and its two codes, shown exactly once."""

    group_id: int
    facilitator_code: str
    join_code: str


@dataclass(frozen=True)
class GroupInfo:
    """What pages need to know about a group."""

    id: int
    name: str
    region: str
    edition: str
    k: int
    part1: date | None
    part2: date | None
    part3: date | None
    join_until: date | None
    presenting: bool
    slide: int
    shown_round: int | None = None  # the round the facilitator picked for the slides; None: newest

    @property
    def region_scope(self) -> str:
        """Scope key of the group's region benchmark."""
        return scopes.region_scope(region_key(self.region), self.edition)


def create_group(session: Session, questionnaire: Questionnaire, spec: GroupSpec) -> CreatedGroup:
    """Create a workshop group with a facilitator code and a join code (both stored hashed)."""
    facilitator_code, join_code = generate_code(), generate_code()
    group = WorkshopGroup(
        name=clean(spec.name),
        region=clean(spec.region),
        region_key=region_key(clean(spec.region)),
        edition=questionnaire.edition,
        part1_date=spec.part1,
        part2_date=spec.part2,
        part3_date=spec.part3,
        join_until=spec.join_until,
        k=anonymity.check_k(spec.k),
        facilitator_code_hash=hash_code(facilitator_code),
        join_code_hash=hash_code(join_code),
        presenting=False,
        slide=0,
    )
    session.add(group)
    session.commit()
    return CreatedGroup(group.id, facilitator_code, join_code)


def _info(group: WorkshopGroup) -> GroupInfo:
    return GroupInfo(
        id=group.id,
        name=group.name,
        region=group.region,
        edition=group.edition,
        k=group.k,
        part1=group.part1_date,
        part2=group.part2_date,
        part3=group.part3_date,
        join_until=group.join_until,
        presenting=group.presenting,
        slide=group.slide,
        shown_round=group.shown_round,
    )


def group_info(session: Session, group_id: int) -> GroupInfo:
    """The group's settings; GroupError if it does not exist."""
    group = session.get(WorkshopGroup, group_id)
    if group is None:
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    return _info(group)


def facilitator_login(session: Session, raw_code: str) -> int | None:
    """The group a facilitator code opens, or None; a project's code never opens a group."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    return session.scalar(
        select(WorkshopGroup.id).where(WorkshopGroup.facilitator_code_hash == hash_code(code))
    )


def is_join_code(session: Session, raw_code: str) -> bool:
    """Whether a code is some group's join code (to explain a code typed into the wrong field)."""
    code = normalize_code(raw_code)
    return code is not None and (
        session.scalar(select(WorkshopGroup.id).where(WorkshopGroup.join_code_hash == hash_code(code)))
        is not None
    )


def open_group_session(session: Session, group_id: int, hours: int) -> str:
    """A browser-session token for a facilitator; only its hash is stored."""
    return logins.new_login(session, hours=hours, group_id=group_id)


def _joinable(session: Session, raw_code: str, today: date | None) -> WorkshopGroup:
    """The group a join code opens, if it is still open; GroupError with a German reason otherwise."""
    code = normalize_code(raw_code or "")
    group = None
    if code is not None:
        group = session.scalar(select(WorkshopGroup).where(WorkshopGroup.join_code_hash == hash_code(code)))
    if group is None:
        raise GroupError(
            "Diesen Gruppen-Code kennen wir nicht. Bitte prüfen Sie die Schreibweise "
            "(16 Zeichen wie K7QM-3XHD-PW9A-TRC2) oder fragen Sie Ihre Moderation."
        )
    today = today or date.today()
    if group.join_until is not None and today > group.join_until:
        raise GroupError(
            f"Der Gruppen-Code ist abgelaufen (gültig bis {group.join_until:%d.%m.%Y}). "
            "Bitte wenden Sie sich an Ihre Moderation."
        )
    return group


def join_group(session: Session, analysis_id: int, raw_code: str, today: date | None = None) -> GroupInfo:
    """Add an analysis to the group a join code opens; GroupError with a German reason otherwise."""
    group = _joinable(session, raw_code, today)
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        raise GroupError("Diese Selbstanalyse gibt es nicht (mehr).")
    if analysis.group_id == group.id:
        return _info(group)
    if analysis.group_id is not None:
        # Groups never share an analysis: that is what keeps nested figures k apart.
        other = session.get(WorkshopGroup, analysis.group_id)
        raise GroupError(
            f"Diese Selbstanalyse gehört bereits zur Workshopgruppe „{other.name if other else '?'}“."
        )
    if analysis.edition != group.edition:
        raise GroupError("Diese Workshopgruppe arbeitet mit einer anderen Ausgabe des Fragebogens.")
    analysis.group_id = group.id
    analysis.joined_at = utcnow()
    session.commit()
    return _info(group)


def group_of_analysis(session: Session, analysis_id: int) -> GroupInfo | None:
    """The group an analysis belongs to, if any."""
    group = session.scalar(
        select(WorkshopGroup)
        .join(Analysis, Analysis.group_id == WorkshopGroup.id)
        .where(Analysis.id == analysis_id)
    )
    return _info(group) if group else None


def new_join_code(session: Session, group_id: int) -> str:
    """Replace the group's join code (the old one stops working); the new one is shown once."""
    code = generate_code()
    result = session.execute(
        update(WorkshopGroup).where(WorkshopGroup.id == group_id).values(join_code_hash=hash_code(code))
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        session.rollback()
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    session.commit()
    return code


def new_facilitator_code(session: Session, group_id: int, keep_token: str | None = None) -> str:
    """Replace the facilitator code: the old one stops working and every other facilitator login
    (and presenter token) of the group ends; the new code is shown once."""
    code = generate_code()
    result = session.execute(
        update(WorkshopGroup)
        .where(WorkshopGroup.id == group_id)
        .values(facilitator_code_hash=hash_code(code))
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        session.rollback()
        raise GroupError("Diese Workshopgruppe gibt es nicht (mehr).")
    logins.logout_group(session, group_id, keep_token)  # commits both
    return code


def set_presentation(session: Session, group_id: int, *, presenting: bool, slide: int) -> None:
    """Start, stop or move the presentation; participants' pages follow it.

    Stopping forgets the picked round: the next presentation starts with the newest one again.
    """
    values: dict[str, object] = {"presenting": presenting, "slide": max(0, slide)}
    if not presenting:
        values["shown_round"] = None
    session.execute(update(WorkshopGroup).where(WorkshopGroup.id == group_id).values(**values))
    session.commit()


def show_round(session: Session, group_id: int, round_no: int) -> None:
    """Show another round's group picture in the presentation (participants follow); back to slide 1."""
    session.execute(
        update(WorkshopGroup).where(WorkshopGroup.id == group_id).values(shown_round=round_no, slide=0)
    )
    session.commit()


def start_in_group(
    session: Session,
    questionnaire: Questionnaire,
    profile: Profile,
    join_code: str | None,
    today: date | None = None,
) -> analyses.Started:
    """Start an analysis and, with a join code, join its group; a bad code creates nothing."""
    if join_code and join_code.strip():
        _joinable(session, join_code, today)  # refuse before anything is written
    started = analyses.start_analysis(session, questionnaire, profile)
    if join_code and join_code.strip():
        join_group(session, started.analysis_id, join_code, today)
    return started
