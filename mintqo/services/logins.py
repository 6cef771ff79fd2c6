"""Logins: resume with a project code, browser-session tokens, log out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mintqo.db.models import ROLE_PROJECT, AccessCode, Analysis, LoginSession, utcnow
from mintqo.domain.codes import generate_token, hash_code, hash_token, normalize_code


def resume_with_code(session: Session, raw_code: str) -> int | None:
    """Latest analysis of the project the code opens, or None for an unknown code."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    access = session.scalar(
        select(AccessCode).where(AccessCode.code_hash == hash_code(code), AccessCode.role == ROLE_PROJECT)
    )
    if access is None:
        return None
    access.last_used_at = utcnow()
    analysis_id = session.scalar(
        select(Analysis.id)
        .where(Analysis.project_id == access.project_id)
        .order_by(Analysis.round.desc())
        .limit(1)
    )
    session.commit()
    return analysis_id


def open_login_session(session: Session, analysis_id: int, hours: int, rater_id: int | None = None) -> str:
    """A new browser-session token for an analysis (and team member); only its hash is stored."""
    token = generate_token()
    now = utcnow()
    session.add(
        LoginSession(
            token_hash=hash_token(token),
            analysis_id=analysis_id,
            rater_id=rater_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    session.commit()
    return token


def resolve_login_session(session: Session, token: str) -> int | None:
    """The analysis a still-valid session token belongs to, else None."""
    target = login_target(session, token)
    return target[0] if target else None


def valid_login(session: Session, token: str) -> LoginSession | None:
    """The still-valid browser session of a token (an analysis's or a facilitator's), else None."""
    if not token or len(token) > 100:
        return None
    row = session.get(LoginSession, hash_token(token))
    if row is None:
        return None
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=utcnow().tzinfo)
    return row if expires >= utcnow() else None


def login_target(session: Session, token: str) -> tuple[int, int | None] | None:
    """(analysis id, team member's rater id or None) of a still-valid session token."""
    row = valid_login(session, token)
    if row is None or row.analysis_id is None:
        return None
    return row.analysis_id, row.rater_id


def close_login_session(session: Session, token: str) -> None:
    """Forget a session token (log out)."""
    row = session.get(LoginSession, hash_token(token))
    if row is not None:
        session.delete(row)
        session.commit()
