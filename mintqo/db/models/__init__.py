"""SQLAlchemy 2.x typed models of all tables, re-exported from their modules by aggregate."""

from __future__ import annotations

from mintqo.db.models.analyses import (
    MEASURE_STATUSES,
    Analysis,
    Answer,
    Consensus,
    Initiative,
    Measure,
    Project,
    Rater,
    SubcriterionNote,
)
from mintqo.db.models.base import NAMING, ROLE_PROJECT, STATUS_DRAFT, STATUS_SUBMITTED, Base, as_utc, utcnow
from mintqo.db.models.credentials import AccessCode, LoginSession, LoginThrottle, PresenterSession
from mintqo.db.models.groups import (
    GroupRelease,
    ReleaseHistogram,
    ReleaseMember,
    ScopeHistogram,
    ScopeState,
    WorkshopGroup,
)
from mintqo.db.models.national import ImportedHistogram, ImportedPackage, ImportedPart, InstanceMeta

__all__ = [
    "MEASURE_STATUSES",
    "NAMING",
    "ROLE_PROJECT",
    "STATUS_DRAFT",
    "STATUS_SUBMITTED",
    "AccessCode",
    "Analysis",
    "Answer",
    "Base",
    "Consensus",
    "GroupRelease",
    "ImportedHistogram",
    "ImportedPackage",
    "ImportedPart",
    "Initiative",
    "InstanceMeta",
    "LoginSession",
    "LoginThrottle",
    "Measure",
    "PresenterSession",
    "Project",
    "Rater",
    "ReleaseHistogram",
    "ReleaseMember",
    "ScopeHistogram",
    "ScopeState",
    "SubcriterionNote",
    "WorkshopGroup",
    "as_utc",
    "utcnow",
]
