"""Region and instance figures: running sums of the latest release of every group in them.

A release replaces its group's previous part in each scope (subtract old, add new) with
atomic increments, so reading a scope costs one small query whatever its size.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Insert, delete, select
from sqlalchemy.orm import Session

from mintqo.db.models import ScopeHistogram, ScopeState, utcnow
from mintqo.db.writes import dialect_insert
from mintqo.domain.histograms import from_rows


def _round(round_no: int) -> str:
    return "" if round_no == 1 else f"@r{round_no}"  # round 1 keeps the short key


def region_scope(region_key: str, edition: str, round_no: int = 1) -> str:
    """Scope key of a region (per questionnaire edition and round)."""
    return f"region{_round(round_no)}:{edition}:{region_key}"


def instance_scope(edition: str, round_no: int = 1) -> str:
    """Scope key of the whole instance (per questionnaire edition and round)."""
    return f"instance{_round(round_no)}:{edition}"


@dataclass(frozen=True)
class ScopeFigure:
    """Histograms of a scope and how many analyses and groups they rest on."""

    scope: str
    hists: dict[str, dict[str, int]]
    n_members: int
    n_groups: int


@lru_cache(maxsize=4)
def _increment(dialect: str, table: str) -> Insert:
    insert = dialect_insert(dialect)
    if table == "hist":
        ins = insert(ScopeHistogram.__table__)
        return ins.on_conflict_do_update(
            index_elements=["scope", "item", "bin"],
            set_={"count": ScopeHistogram.__table__.c.count + ins.excluded.count},
        )
    ins = insert(ScopeState.__table__)
    return ins.on_conflict_do_update(
        index_elements=["scope"],
        set_={
            "n_members": ScopeState.__table__.c.n_members + ins.excluded.n_members,
            "n_groups": ScopeState.__table__.c.n_groups + ins.excluded.n_groups,
            "updated_at": ins.excluded.updated_at,
        },
    )


def replace_part(
    session: Session,
    scope: str,
    old: Mapping[str, Mapping[str, int]],
    new: Mapping[str, Mapping[str, int]],
    *,
    old_members: int,
    new_members: int,
    new_group: bool,
    removed_group: bool = False,
) -> None:
    """Swap one group's previous release for its new one inside a scope (no commit).

    `new_group` counts a group that had no part yet; `removed_group` one whose part is taken out.
    """
    delta: dict[tuple[str, str], int] = {}
    for sign, hists in ((-1, old), (1, new)):
        for item, hist in hists.items():
            for b, c in hist.items():
                delta[(item, b)] = delta.get((item, b), 0) + sign * c
    rows = [{"scope": scope, "item": i, "bin": b, "count": c} for (i, b), c in delta.items() if c]
    dialect = session.get_bind().dialect.name
    conn = session.connection()
    if rows:
        conn.execute(_increment(dialect, "hist"), rows)
        conn.execute(delete(ScopeHistogram).where(ScopeHistogram.scope == scope, ScopeHistogram.count == 0))
    conn.execute(
        _increment(dialect, "state"),
        {
            "scope": scope,
            "n_members": new_members - old_members,
            "n_groups": int(new_group) - int(removed_group),
            "updated_at": utcnow(),
        },
    )


def scope_figure(session: Session, scope: str) -> ScopeFigure:
    """The current histograms of a scope (empty when no group in it has released yet)."""
    state = session.get(ScopeState, scope)
    hists = from_rows(
        session.execute(
            select(ScopeHistogram.item, ScopeHistogram.bin, ScopeHistogram.count).where(
                ScopeHistogram.scope == scope
            )
        )
    )
    return ScopeFigure(scope, hists, state.n_members if state else 0, state.n_groups if state else 0)
