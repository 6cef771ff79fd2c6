"""Tables of initiatives, projects and their analyses: raters, answers, notes, agreed values, measures."""

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
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mintqo.db.models.base import STATUS_DRAFT, Base, utcnow

MEASURE_STATUSES = ("geplant", "begonnen", "umgesetzt", "verworfen")


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
