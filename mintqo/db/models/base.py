"""Declarative base with its constraint naming convention, shared constants and UTC time helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATUS_DRAFT = "draft"
STATUS_SUBMITTED = "submitted"
ROLE_PROJECT = "project"


def utcnow() -> datetime:
    """Timezone-aware current time in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored time as aware UTC (datetimes read back from SQLite have no zone; every stored time is UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention (for Alembic batch mode)."""

    metadata = MetaData(naming_convention=NAMING)
    # Every model here maps one plain Table (SQLAlchemy types it as any FromClause).
    __table__: ClassVar[Table]
