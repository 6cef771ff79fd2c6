"""Logins: resume with a project code, browser-session and presenter tokens, rotation, logout everywhere."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import CursorResult, Delete, bindparam, delete, or_, select, update
from sqlalchemy.orm import Session

from mintqo.db.models import (
    ROLE_PROJECT,
    AccessCode,
    Analysis,
    LoginSession,
    LoginThrottle,
    PresenterSession,
    as_utc,
    utcnow,
)
from mintqo.domain.codes import generate_code, generate_token, hash_code, hash_token, normalize_code

ROTATION_GRACE = timedelta(seconds=60)  # a replaced token keeps working this long (a reconnect in flight)
PURGE_AFTER = timedelta(days=1)  # expired rows are deleted this long after they expired
PRESENTER_HOURS = 4  # a presenter token outlives one workshop part, not a day
FACILITATOR_TOKEN_AGE = timedelta(minutes=5)  # a facilitator's address-bar token is renewed this often
MAX_TOKEN_CHARS = 100  # a longer string is never a token: not even hashed and looked up

_Row = TypeVar("_Row", LoginSession, PresenterSession)


@dataclass(frozen=True)
class Login:
    """Whom a valid token logs in: an analysis (with a team member) or a facilitator's group."""

    analysis_id: int | None
    rater_id: int | None
    group_id: int | None


def resume_with_code(session: Session, raw_code: str) -> int | None:
    """Latest analysis of the project the code opens, or None for an unknown code.

    Reads only: a login must not depend on a write (issue 12), so nothing like a "last used"
    time is stored here; the browser's login row is written separately by open_login_session.
    """
    code = normalize_code(raw_code)
    if code is None:
        return None
    project_id = session.scalar(
        select(AccessCode.project_id).where(
            AccessCode.code_hash == hash_code(code), AccessCode.role == ROLE_PROJECT
        )
    )
    if project_id is None:
        return None
    return session.scalar(
        select(Analysis.id).where(Analysis.project_id == project_id).order_by(Analysis.round.desc()).limit(1)
    )


def purge_expired(session: Session) -> None:
    """Delete login rows and throttle buckets that expired more than a day ago (no commit)."""
    cutoff = utcnow() - PURGE_AFTER
    session.execute(delete(LoginSession).where(LoginSession.expires_at < cutoff))
    session.execute(delete(PresenterSession).where(PresenterSession.expires_at < cutoff))
    session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.window_start < cutoff,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < cutoff),
        )
    )


def new_login(
    session: Session,
    *,
    hours: int,
    analysis_id: int | None = None,
    rater_id: int | None = None,
    group_id: int | None = None,
    expires_at: datetime | None = None,
) -> str:
    """Store a new browser-session token (only its hash) and purge expired rows; returns the token."""
    target = {"analysis_id": analysis_id, "rater_id": rater_id, "group_id": group_id}
    return _new_token(session, LoginSession, hours, expires_at, **target)


def _new_token(
    session: Session, model: type[_Row], hours: int, expires_at: datetime | None, **target: Any
) -> str:
    """Store a fresh token of `model` (only its hash) after purging expired rows; returns the token."""
    purge_expired(session)
    token = generate_token()
    now = utcnow()
    expires = expires_at or now + timedelta(hours=hours)
    session.add(model(token_hash=hash_token(token), created_at=now, expires_at=expires, **target))
    session.commit()
    return token


def _lookup_hash(token: str) -> str | None:
    """The hash to look a token up by; None for a string that is never a token (empty or too long)."""
    return hash_token(token) if token and len(token) <= MAX_TOKEN_CHARS else None


def _valid_row(session: Session, model: type[_Row], token: str) -> _Row | None:
    """The row of a token of `model` if it exists and has not expired, else None."""
    token_hash = _lookup_hash(token)
    row = session.get(model, token_hash) if token_hash else None
    return row if row is not None and _unexpired(row.expires_at) else None


def _unexpired(expires_at: datetime | None) -> bool:
    return expires_at is not None and as_utc(expires_at) >= utcnow()


def open_login_session(session: Session, analysis_id: int, hours: int, rater_id: int | None = None) -> str:
    """A new browser-session token for an analysis (and team member); only its hash is stored."""
    return new_login(session, hours=hours, analysis_id=analysis_id, rater_id=rater_id)


def valid_login(session: Session, token: str) -> LoginSession | None:
    """The still-valid browser session of a token (an analysis's or a facilitator's), else None."""
    return _valid_row(session, LoginSession, token)


_EXPIRES = select(LoginSession.expires_at).where(LoginSession.token_hash == bindparam("token_hash"))


def login_is_valid(session: Session, token: str) -> bool:
    """valid_login as a yes or no, for the check on every script run: one column, no ORM object."""
    token_hash = _lookup_hash(token)
    return bool(token_hash) and _unexpired(session.scalar(_EXPIRES, {"token_hash": token_hash}))


def rotate_login(session: Session, token: str) -> tuple[Login, str] | None:
    """Exchange a valid token for a new one with the same target and end; None if not valid.

    Used whenever a token is read from a URL: a copied address stops working a minute after
    its holder's next reload, and the old token cannot be used to open a new session later.
    """
    row = valid_login(session, token)
    if row is None:
        return None
    login = Login(row.analysis_id, row.rater_id, row.group_id)
    expires = as_utc(row.expires_at)
    row.expires_at = min(expires, utcnow() + ROTATION_GRACE)
    fresh = new_login(
        session,
        hours=0,
        analysis_id=login.analysis_id,
        rater_id=login.rater_id,
        group_id=login.group_id,
        expires_at=expires,
    )
    return login, fresh


def renew_facilitator_login(session: Session, token: str) -> str | None:
    """A fresh token for a facilitator's login older than FACILITATOR_TOKEN_AGE, else None.

    The dashboard may be screen-shared with its address bar: the token seen there stops working
    a minute after the facilitator's next click once it is a few minutes old.
    """
    row = valid_login(session, token)
    if row is None or row.group_id is None or utcnow() - as_utc(row.created_at) < FACILITATOR_TOKEN_AGE:
        return None
    rotated = rotate_login(session, token)
    return rotated[1] if rotated else None


def close_login_session(session: Session, token: str) -> None:
    """Forget a session token (log out)."""
    row = session.get(LoginSession, hash_token(token))
    if row is not None:
        session.delete(row)
        session.commit()


def _deleted(session: Session, query: Delete) -> int:
    result = session.execute(query)
    return result.rowcount if isinstance(result, CursorResult) else 0


def _project_analyses(project_id: int):  # type: ignore[no-untyped-def]
    return select(Analysis.id).where(Analysis.project_id == project_id).scalar_subquery()


def logout_project(session: Session, project_id: int, keep_token: str | None = None) -> int:
    """End every login of a project's analyses (all rounds, all members) except keep_token's."""
    query = delete(LoginSession).where(LoginSession.analysis_id.in_(_project_analyses(project_id)))
    if keep_token:
        query = query.where(LoginSession.token_hash != hash_token(keep_token))
    ended = _deleted(session, query)
    session.commit()
    return ended


def new_project_code(session: Session, project_id: int, keep_token: str | None = None) -> str:
    """Replace a project's access code: the old one stops working, every other login ends."""
    code = generate_code()
    session.execute(
        update(AccessCode)
        .where(AccessCode.project_id == project_id, AccessCode.role == ROLE_PROJECT)
        .values(code_hash=hash_code(code))
    )
    logout_project(session, project_id, keep_token)  # commits both
    return code


def logout_group(session: Session, group_id: int, keep_token: str | None = None) -> int:
    """End every facilitator login and presenter token of a group except keep_token's."""
    query = delete(LoginSession).where(LoginSession.group_id == group_id)
    if keep_token:
        query = query.where(LoginSession.token_hash != hash_token(keep_token))
    ended = _deleted(session, query)
    close_presenter_sessions(session, group_id)  # commits both
    return ended


def open_presenter_session(session: Session, group_id: int, hours: int = PRESENTER_HOURS) -> str:
    """A token that opens only the presentation of one group (for the projected address bar)."""
    return _new_token(session, PresenterSession, hours, None, group_id=group_id)


def presenter_group(session: Session, token: str) -> int | None:
    """The group whose presentation a still-valid presenter token opens, else None."""
    row = _valid_row(session, PresenterSession, token)
    return row.group_id if row is not None else None


def close_presenter_session(session: Session, token: str) -> None:
    """Forget a presenter token (the presentation ended or the facilitator logged out)."""
    session.execute(delete(PresenterSession).where(PresenterSession.token_hash == hash_token(token)))
    session.commit()


def close_presenter_sessions(session: Session, group_id: int) -> None:
    """End every presenter token of a group (its facilitator logged out)."""
    session.execute(delete(PresenterSession).where(PresenterSession.group_id == group_id))
    session.commit()
