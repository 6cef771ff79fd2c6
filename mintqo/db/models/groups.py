"""Tables of workshop groups, their released snapshots and the running scope sums."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mintqo.db.models.base import Base, utcnow


class WorkshopGroup(Base):
    """A facilitator's cohort of projects; its figures are released as snapshots."""

    __tablename__ = "workshop_group"
    __table_args__ = (CheckConstraint("k >= 3", name="k_min"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str] = mapped_column(String(80))
    region_key: Mapped[str] = mapped_column(String(80), index=True)
    edition: Mapped[str] = mapped_column(String(80))
    part1_date: Mapped[date | None] = mapped_column(Date)
    part2_date: Mapped[date | None] = mapped_column(Date)
    part3_date: Mapped[date | None] = mapped_column(Date)
    join_until: Mapped[date | None] = mapped_column(Date)
    k: Mapped[int] = mapped_column(Integer, default=3)
    facilitator_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    join_code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    presenting: Mapped[bool] = mapped_column(Boolean, default=False)
    slide: Mapped[int] = mapped_column(Integer, default=0)
    shown_round: Mapped[int | None] = mapped_column(Integer, nullable=True)  # None: the newest released
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class GroupRelease(Base):
    """A snapshot of a group's submitted analyses, released by the facilitator."""

    __tablename__ = "group_release"
    __table_args__ = (UniqueConstraint("group_id", "seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("workshop_group.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    round: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    n_members: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Set when an initiative deleted data the release was built from; its histograms are gone.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # JSON item → reason ("few" / "change") of the items this release withholds; None before 0006.
    withheld: Mapped[str | None] = mapped_column(Text)
    # Of n_members: projects without a new analysis, counted with the previous round's released state.
    carried: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ReleaseMember(Base):
    """Which analysis, in which submitted version, a release contains, and what it added per item."""

    __tablename__ = "release_member"
    release_id: Mapped[int] = mapped_column(
        ForeignKey("group_release.id", ondelete="CASCADE"), primary_key=True
    )
    analysis_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
    # No foreign key: the release rule still needs a deleted project's membership. Negated on
    # deletion, so a new project that reuses the id is never mistaken for the deleted one.
    project_id: Mapped[int | None] = mapped_column(Integer)
    # Fingerprint of the answer-derived items alone (no measure counts); None before 0004.
    answers_version: Mapped[str | None] = mapped_column(String(40))
    # JSON item → bin this analysis added (for the per-item check of later rounds). "deleted" once the
    # analysis is deleted (then it differs on every item); None for releases made before 0006.
    items: Mapped[str | None] = mapped_column(Text)


class ReleaseHistogram(Base):
    """Counts per bin of one item in one release."""

    __tablename__ = "release_histogram"
    release_id: Mapped[int] = mapped_column(
        ForeignKey("group_release.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    bin: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class ScopeHistogram(Base):
    """Running sum of the latest release of every group in a scope (region, instance)."""

    __tablename__ = "scope_histogram"
    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    item: Mapped[str] = mapped_column(String(64), primary_key=True)
    bin: Mapped[str] = mapped_column(String(8), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class ScopeState(Base):
    """Number of analyses and groups behind a scope's histograms."""

    __tablename__ = "scope_state"
    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    n_members: Mapped[int] = mapped_column(Integer, default=0)
    n_groups: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
