"""SQLAlchemy 2.x typed models for initiatives, projects, analyses and answers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention (for Alembic batch mode)."""

    metadata = MetaData(naming_convention=NAMING)
    # Every model here maps one plain Table (SQLAlchemy types it as any FromClause).
    __table__: ClassVar[Table]


class Initiative(Base):
    """The carrying organisation."""

    __tablename__ = "initiative"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    projects: Mapped[list[Project]] = relationship(back_populates="initiative", cascade="all, delete-orphan")


class Project(Base):
    """A recurring offer of an initiative; the unit of analysis."""

    __tablename__ = "project"
    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    target_group: Mapped[str | None] = mapped_column(String(200))
    mint_field: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    initiative: Mapped[Initiative] = relationship(back_populates="projects")
    analyses: Mapped[list[Analysis]] = relationship(back_populates="project", cascade="all, delete-orphan")


class AccessCode(Base):
    """A secret code, stored only as its SHA-256 hash, that opens a project."""

    __tablename__ = "access_code"
    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20), default=ROLE_PROJECT)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Analysis(Base):
    """One self-analysis of one project in one round, against one questionnaire edition."""

    __tablename__ = "analysis"
    __table_args__ = (
        UniqueConstraint("project_id", "round"),
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint("round >= 1", name="round_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    edition: Mapped[str] = mapped_column(String(80))
    round: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default=STATUS_DRAFT)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_group.id", ondelete="SET NULL"), index=True
    )
    joined_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    project: Mapped[Project] = relationship(back_populates="analyses")


class Rater(Base):
    """A person rating an analysis; a single-person team has one rater."""

    __tablename__ = "rater"
    __table_args__ = (UniqueConstraint("analysis_id", "display_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"), index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Answer(Base):
    """One rater's answer to one statement: "1"–"4", "na" or "dk"."""

    __tablename__ = "answer"
    __table_args__ = (CheckConstraint("value IN ('1', '2', '3', '4', 'na', 'dk')", name="value"),)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"), primary_key=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("rater.id", ondelete="CASCADE"), primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(2))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SubcriterionNote(Base):
    """The team's note "Begründung / Belege" and the flag "Handlungsbedarf" per sub-criterion."""

    __tablename__ = "subcriterion_note"
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"), primary_key=True)
    subcriterion_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    action_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Consensus(Base):
    """The value a team agreed on for one statement, with its reason."""

    __tablename__ = "consensus"
    __table_args__ = (CheckConstraint("value IN ('1', '2', '3', '4', 'na', 'dk')", name="value"),)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"), primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


MEASURE_STATUSES = ("geplant", "begonnen", "umgesetzt", "verworfen")


class Measure(Base):
    """A planned change for a sub-criterion of a project (what, who, by when, status)."""

    __tablename__ = "measure"
    __table_args__ = (
        CheckConstraint("status IN ('geplant', 'begonnen', 'umgesetzt', 'verworfen')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analysis.id", ondelete="CASCADE"), index=True)
    subcriterion_id: Mapped[str] = mapped_column(String(32))
    what: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(120), default="")
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="geplant")
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


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


# --- national data package (export and import) -------------------------------------------------------


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


# --- credentials (0007) ---------------------------------------------------------------------------


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
