"""What a browser-session token still opens, read in tests straight from the login table."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from mintqo.db.models import LoginSession, PresenterSession, utcnow
from mintqo.domain.codes import hash_token
from mintqo.services import logins


def backdate(
    session: Session, model: type[LoginSession | PresenterSession], token: str, **ago: timedelta
) -> None:
    """Move a stored token's times into the past (column=how long ago, e.g. expires_at=…) and commit."""
    session.execute(
        update(model)
        .where(model.token_hash == hash_token(token))
        .values({c: utcnow() - d for c, d in ago.items()})
    )
    session.commit()


def login_target(session: Session, token: str) -> tuple[int, int | None] | None:
    """(analysis id, team member's rater id or None) of a still-valid analysis token, else None."""
    row = logins.valid_login(session, token)
    if row is None or row.analysis_id is None:
        return None
    return row.analysis_id, row.rater_id


def analysis_of(session: Session, token: str) -> int | None:
    """The analysis a still-valid session token opens, else None."""
    target = login_target(session, token)
    return target[0] if target else None


def group_of(session: Session, token: str) -> int | None:
    """The group a still-valid facilitator token opens, else None."""
    row = logins.valid_login(session, token)
    return row.group_id if row is not None else None
