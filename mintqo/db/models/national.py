"""Tables of the national data package: the instance id and imported packages with their histograms."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mintqo.db.models.base import Base, utcnow


class InstanceMeta(Base):
    """Facts about this instance, such as its random id that national packages carry."""

    __tablename__ = "instance_meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImportedPackage(Base):
    """A national package imported into this instance; only the newest one per source counts."""

    __tablename__ = "imported_package"
    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[str] = mapped_column(String(36), unique=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source_instance: Mapped[str] = mapped_column(String(36), index=True)
    # The source id while this package counts, NULL once a newer one replaced it: the unique
    # constraint makes two concurrent imports of one source fail instead of both counting.
    active_source: Mapped[str | None] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    n_parts: Mapped[int] = mapped_column(Integer)
    n_analyses: Mapped[int] = mapped_column(Integer)


class ImportedPart(Base):
    """One part of an imported package, and the two scopes it was added to."""

    __tablename__ = "imported_part"
    __table_args__ = (UniqueConstraint("imported_package_id", "edition", "round", "region_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    imported_package_id: Mapped[int] = mapped_column(
        ForeignKey("imported_package.id", ondelete="CASCADE"), index=True
    )
    edition: Mapped[str] = mapped_column(String(80))
    round: Mapped[int] = mapped_column(Integer)
    region: Mapped[str] = mapped_column(String(80))
    region_key: Mapped[str] = mapped_column(String(80))
    n_analyses: Mapped[int] = mapped_column(Integer)
    n_groups: Mapped[int] = mapped_column(Integer)
    period_first: Mapped[date] = mapped_column(Date)
    period_last: Mapped[date] = mapped_column(Date)
    region_scope: Mapped[str] = mapped_column(String(200))
    instance_scope: Mapped[str] = mapped_column(String(200))


class ImportedHistogram(Base):
    """Counts per bin of one item in one imported part."""

    __tablename__ = "imported_histogram"
    part_id: Mapped[int] = mapped_column(ForeignKey("imported_part.id", ondelete="CASCADE"), primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    bin: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
