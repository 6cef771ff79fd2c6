"""Tables of access codes, browser login tokens and the wrong-code throttle."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from mintqo.db.models.base import ROLE_PROJECT, Base, utcnow


class AccessCode(Base):
    """A secret code, stored only as its SHA-256 hash, that opens a project."""

    __tablename__ = "access_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20), default=ROLE_PROJECT)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginSession(Base):
    """A short-lived browser session token (hashed) for an analysis or a facilitator's group."""

    __tablename__ = "login_session"
    __table_args__ = (CheckConstraint("(analysis_id IS NULL) <> (group_id IS NULL)", name="one_target"),)
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_group.id", ondelete="CASCADE"), index=True
    )
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("rater.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PresenterSession(Base):
    """A short-lived token (hashed) that opens only the presentation of one group, never its dashboard."""

    __tablename__ = "presenter_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("workshop_group.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginThrottle(Base):
    """Wrong codes per bucket (kind and hash prefix of the attempted code, or a kind's global count)."""

    __tablename__ = "login_throttle"
    bucket: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
