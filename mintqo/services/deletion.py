"""An initiative deletes its data: one analysis (round), one project, or everything.

Deleted answers leave every future figure: each group release built from them is withdrawn
(its histograms are deleted and its part taken out of the region and instance sums). What a
withdrawn release contained is kept only as project ids and fingerprints, so the release rule
still refuses a new picture that would reveal the deleted contribution by subtraction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from mintqo.db.models import (
    Analysis,
    GroupRelease,
    Initiative,
    Project,
    ReleaseHistogram,
    ReleaseMember,
    WorkshopGroup,
    utcnow,
)
from mintqo.services import release_inputs, releases, scopes

ANALYSIS, PROJECT, INITIATIVE = "analysis", "project", "initiative"


class DeletionError(ValueError):
    """A deletion cannot be done; the message is German and meant for the user."""


@dataclass(frozen=True)
class DeletionScope:
    """What one choice deletes, for the confirmation step."""

    kind: str
    title: str
    detail: str
    confirm_word: str


@dataclass(frozen=True)
class Deleted:
    """What a deletion removed."""

    analyses: int
    projects: int
    withdrawn_releases: int
    what: str

    @property
    def message(self) -> str:
        """A German confirmation of what is gone."""
        text = f"Gelöscht: {self.what}, mit allen Antworten, Notizen und Maßnahmen."
        if self.withdrawn_releases:
            text += " Gruppenbilder mit diesen Daten wurden zurückgezogen."
        return text


def choices(session: Session, analysis_id: int) -> list[DeletionScope]:
    """What the holder of an analysis may delete, smallest first (a lone round is the project)."""
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        raise DeletionError("Diese Selbstanalyse gibt es nicht (mehr).")
    project = analysis.project
    initiative = project.initiative
    rounds = session.scalar(select(func.count()).where(Analysis.project_id == project.id)) or 0
    n_projects = session.scalar(select(func.count()).where(Project.initiative_id == initiative.id)) or 0
    out: list[DeletionScope] = []
    if rounds > 1:
        out.append(
            DeletionScope(
                ANALYSIS,
                f"Nur Runde {analysis.round} löschen",
                f"Alle Antworten, Notizen, Teamwerte und die in Runde {analysis.round} angelegten "
                f"Maßnahmen. Die anderen Runden von „{project.name}“ bleiben.",
                f"Runde {analysis.round}",
            )
        )
    out.append(
        DeletionScope(
            PROJECT,
            f"Projekt „{project.name}“ löschen",
            f"Alle {rounds} {'Runde' if rounds == 1 else 'Runden'}, alle Antworten, Notizen und "
            "Maßnahmen; der Zugangscode wird ungültig."
            + (f" Das sind alle Daten von „{initiative.name}“ in mintqo." if n_projects == 1 else ""),
            project.name,
        )
    )
    if n_projects > 1:
        out.append(
            DeletionScope(
                INITIATIVE,
                f"Alle Daten von „{initiative.name}“ löschen",
                f"Alle {n_projects} Projekte der Initiative mit allen Runden, Antworten und Maßnahmen.",
                initiative.name,
            )
        )
    return out


def confirmed(scope: DeletionScope, typed: str) -> bool:
    """Whether the typed confirmation matches (case and outer spaces ignored)."""
    return typed.strip().casefold() == scope.confirm_word.strip().casefold()


def delete_data(session: Session, analysis_id: int, kind: str) -> Deleted:
    """Delete the analysis, its project or its initiative, and withdraw the releases built from them."""
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        raise DeletionError("Diese Selbstanalyse gibt es nicht (mehr).")
    if kind == ANALYSIS:
        project_ids: list[int] = []
        analysis_ids = [analysis_id]
    elif kind == PROJECT:
        project_ids = [analysis.project_id]
    elif kind == INITIATIVE:
        project_ids = list(
            session.scalars(select(Project.id).where(Project.initiative_id == analysis.project.initiative_id))
        )
    else:
        raise DeletionError(f"Unbekannte Auswahl: {kind}")
    if project_ids:
        analysis_ids = list(session.scalars(select(Analysis.id).where(Analysis.project_id.in_(project_ids))))
    initiative_id = analysis.project.initiative_id
    what = _what(kind, analysis, len(project_ids), len(analysis_ids))
    # Take turns with a release in the same groups (see releases.release).
    session.scalars(
        select(WorkshopGroup.id)
        .where(WorkshopGroup.id.in_(select(Analysis.group_id).where(Analysis.id.in_(analysis_ids))))
        .with_for_update()
    ).all()
    withdrawn = _withdraw(session, analysis_ids)
    # What the deleted analyses added per item goes too; a deleted entry counts as changed everywhere.
    session.execute(
        update(ReleaseMember)
        .where(ReleaseMember.analysis_id.in_(analysis_ids))
        .values(items=release_inputs.DELETED_ITEMS)
    )
    if project_ids:
        # A new project may reuse a deleted id (SQLite); negated ids never match a live project.
        session.execute(
            update(ReleaseMember)
            .where(ReleaseMember.project_id.in_(project_ids))
            .values(project_id=-ReleaseMember.project_id)
        )
        session.execute(delete(Project).where(Project.id.in_(project_ids)))
        if kind == INITIATIVE or not session.scalar(
            select(func.count()).where(Project.initiative_id == initiative_id)
        ):
            session.execute(delete(Initiative).where(Initiative.id == initiative_id))
    else:
        session.execute(delete(Analysis).where(Analysis.id == analysis_id))
    session.commit()
    session.expire_all()
    return Deleted(len(analysis_ids), len(project_ids), withdrawn, what)


def _what(kind: str, analysis: Analysis, n_projects: int, n_analyses: int) -> str:
    rounds = f"{n_analyses} {'Runde' if n_analyses == 1 else 'Runden'}"
    if kind == ANALYSIS:
        return f"Runde {analysis.round} von „{analysis.project.name}“"
    if kind == PROJECT:
        return f"das Projekt „{analysis.project.name}“ ({rounds})"
    return f"alle Daten von „{analysis.project.initiative.name}“ ({n_projects} Projekte, {rounds})"


def _withdraw(session: Session, analysis_ids: list[int]) -> int:
    """Withdraw every live release containing one of the analyses; returns how many (no commit)."""
    rels = list(
        session.scalars(
            select(GroupRelease)
            .join(ReleaseMember, ReleaseMember.release_id == GroupRelease.id)
            .where(ReleaseMember.analysis_id.in_(analysis_ids), GroupRelease.withdrawn_at.is_(None))
            .distinct()
        )
    )
    for rel in rels:
        latest = releases.latest_release(session, rel.group_id, rel.round)
        if latest is not None and latest.id == rel.id:
            # Only the latest live release is part of the region and instance sums.
            group = session.get(WorkshopGroup, rel.group_id)
            assert group is not None
            hists = releases.release_histograms(session, rel.id)
            for scope in (
                releases.group_region_scope(group, rel.round),
                scopes.instance_scope(group.edition, rel.round),
            ):
                scopes.replace_part(
                    session,
                    scope,
                    hists,
                    {},
                    old_members=rel.n_members,
                    new_members=0,
                    new_group=False,
                    removed_group=True,
                )
        session.execute(delete(ReleaseHistogram).where(ReleaseHistogram.release_id == rel.id))
        rel.withdrawn_at = utcnow()
    session.flush()
    return len(rels)
