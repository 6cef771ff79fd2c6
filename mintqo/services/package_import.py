"""Import of national data packages: read and check a file, add it to the figures, list what counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mintqo.db.models import ImportedHistogram, ImportedPackage, ImportedPart, ScopeState, as_utc, utcnow
from mintqo.domain import package as pkg
from mintqo.domain import package_format as fmt
from mintqo.domain.histograms import from_rows
from mintqo.domain.package import Package, PackageError, Part
from mintqo.domain.questionnaire_validation import QuestionnaireError
from mintqo.services import scopes
from mintqo.services.package_export import edition_lookup, instance_id, schema

IMPORTED, REPLACED, DUPLICATE = "imported", "replaced", "duplicate"


@dataclass(frozen=True)
class ImportResult:
    """What an import did: imported, replaced an older package of the same source, or nothing (duplicate)."""

    status: str
    package: Package
    imported_at: datetime
    replaced_created_at: datetime | None = None


def read_package(path: Path, questionnaire_dir: Path) -> Package:
    """Read and check a package file completely (PackageError with every problem)."""
    try:
        if path.is_dir():
            raise PackageError(f"{path} ist ein Ordner, keine Paketdatei.")
        if not path.is_file():
            raise PackageError(f"Die Datei {path} gibt es nicht.")
        with path.open("rb") as fh:
            raw = fh.read(fmt.MAX_BYTES + 1)
    except OSError as exc:
        raise PackageError(f"Die Datei {path} ist nicht lesbar ({exc.strerror}).") from None
    try:
        return fmt.parse_package(raw, schema(), edition_lookup(questionnaire_dir))
    except QuestionnaireError as exc:  # this instance's own questionnaire files are broken
        raise PackageError(
            "Die Fragebogen-Dateien dieser Instanz sind fehlerhaft; das Paket wurde nicht importiert.",
            [f"{p.location}: {p.message}" for p in exc.problems],
        ) from None


def _stored_parts(session: Session, package_row_id: int) -> dict[pkg.PartKey, tuple[ImportedPart, pkg.Hists]]:
    parts = list(
        session.scalars(select(ImportedPart).where(ImportedPart.imported_package_id == package_row_id))
    )
    rows = session.execute(
        select(
            ImportedHistogram.part_id, ImportedHistogram.item, ImportedHistogram.bin, ImportedHistogram.count
        )
        .join(ImportedPart, ImportedPart.id == ImportedHistogram.part_id)
        .where(ImportedPart.imported_package_id == package_row_id)
    )
    by_part: dict[int, list[tuple[str, str, int]]] = {}
    for part_id, item, b, c in rows:
        by_part.setdefault(part_id, []).append((item, b, c))
    return {(p.edition, p.round, p.region_key): (p, from_rows(by_part.get(p.id, []))) for p in parts}


def _fold(
    session: Session,
    scope: str,
    old: tuple[int, int, pkg.Hists],
    new: tuple[int, int, pkg.Hists],
) -> None:
    """Swap an old part (members, groups, histograms) for a new one in a scope; either may be empty."""
    (old_n, old_groups, old_hists), (new_n, new_groups, new_hists) = old, new
    scopes.replace_part(
        session, scope, old_hists, new_hists, old_members=old_n, new_members=new_n, new_group=False
    )
    # replace_part counts one group per release; a part carries the number of groups behind it.
    if new_groups != old_groups:
        session.execute(
            update(ScopeState)
            .where(ScopeState.scope == scope)
            .values(n_groups=ScopeState.n_groups + (new_groups - old_groups))
        )


def _store_parts(session: Session, package_row_id: int, parts: Iterable[Part]) -> None:
    for part in parts:
        edition, round_no, key = part.key
        row = ImportedPart(
            imported_package_id=package_row_id,
            edition=edition,
            round=round_no,
            region=part.region,
            region_key=key,
            n_analyses=part.n_analyses,
            n_groups=part.n_groups,
            period_first=part.first,
            period_last=part.last,
            region_scope=scopes.region_scope(key, edition, round_no),
            instance_scope=scopes.instance_scope(edition, round_no),
        )
        session.add(row)
        session.flush()
        rows = [
            {"part_id": row.id, "item": item, "bin": b, "count": c}
            for item, hist in pkg.scope_histograms(part).items()
            for b, c in hist.items()
        ]
        if rows:
            session.execute(insert(ImportedHistogram), rows)


def import_package(session: Session, package: Package) -> ImportResult:
    """Add a checked package to this instance's figures in one transaction (nothing on any error)."""
    try:
        return _import(session, package)
    except IntegrityError:
        session.rollback()
        raise PackageError(
            "Gleichzeitig wurde ein anderes Paket derselben Instanz importiert; bitte noch einmal versuchen."
        ) from None
    except Exception:
        session.rollback()
        raise


def _import(session: Session, package: Package) -> ImportResult:
    now = utcnow()
    same = session.scalar(
        select(ImportedPackage).where(
            (ImportedPackage.package_id == package.package_id) | (ImportedPackage.sha256 == package.sha256)
        )
    )
    if same is not None and same.sha256 != package.sha256:
        raise PackageError(
            "Ein Paket mit dieser Paket-Id, aber anderem Inhalt ist schon importiert; "
            "das Paket wurde nicht importiert."
        )
    if same is not None:
        return ImportResult(DUPLICATE, package, as_utc(same.imported_at))
    if package.source_instance == instance_id(session, create=False):
        raise PackageError(
            "Dieses Paket stammt von dieser Instanz selbst; ihre Gruppen zählen hier schon. "
            "Nichts wurde importiert."
        )
    newest = session.scalar(
        select(ImportedPackage)
        .where(ImportedPackage.source_instance == package.source_instance)
        .order_by(ImportedPackage.created_at.desc())
        .limit(1)
    )
    if newest is not None and as_utc(newest.created_at) >= package.created_at:
        raise PackageError(
            f"Von dieser Instanz ist schon ein neueres Paket importiert (erstellt am "
            f"{as_utc(newest.created_at):%d.%m.%Y um %H:%M} UTC); das ältere Paket wurde nicht importiert."
        )
    active = session.scalar(
        select(ImportedPackage)
        .where(ImportedPackage.active_source == package.source_instance)
        .with_for_update()
    )
    old_parts = _stored_parts(session, active.id) if active is not None else {}
    if active is not None:
        active.active_source = None
        active.superseded_at = now
        session.flush()
    row = ImportedPackage(
        package_id=package.package_id,
        sha256=package.sha256,
        source_instance=package.source_instance,
        active_source=package.source_instance,
        created_at=package.created_at.astimezone(UTC),
        imported_at=now,
        n_parts=len(package.parts),
        n_analyses=package.n_analyses,
    )
    session.add(row)
    session.flush()
    new_parts = {p.key: p for p in package.parts}
    for key in sorted(old_parts.keys() | new_parts.keys()):
        old_row, old_hists = old_parts.get(key, (None, {}))
        new = new_parts.get(key)
        old = (old_row.n_analyses, old_row.n_groups, old_hists) if old_row else (0, 0, {})
        # Totals of "weiß nicht" and measures enter the sums as histograms {"1": total}, so that
        # benchmark.dont_know_total() reads them back as the total (see pkg.scope_histograms).
        fresh = (new.n_analyses, new.n_groups, pkg.scope_histograms(new)) if new else (0, 0, {})
        edition, round_no, region = key
        for scope in (
            scopes.region_scope(region, edition, round_no),
            scopes.instance_scope(edition, round_no),
        ):
            _fold(session, scope, old, fresh)
    _store_parts(session, row.id, package.parts)
    if active is not None:
        # A replaced package keeps its ids and dates (to recognise it again), not its figures.
        old_ids = [p.id for p, _ in old_parts.values()]
        if old_ids:
            session.execute(delete(ImportedHistogram).where(ImportedHistogram.part_id.in_(old_ids)))
            session.execute(delete(ImportedPart).where(ImportedPart.id.in_(old_ids)))
    session.commit()
    replaced = as_utc(active.created_at) if active is not None else None
    return ImportResult(REPLACED if active is not None else IMPORTED, package, now, replaced)


@dataclass(frozen=True)
class ImportedSummary:
    """One counting imported package, for listings."""

    package_id: str
    source_instance: str
    created_at: datetime
    imported_at: datetime
    n_parts: int
    n_analyses: int


def imported(session: Session) -> list[ImportedSummary]:
    """The imported packages that count now (the newest of every source)."""
    return [
        ImportedSummary(
            r.package_id,
            r.source_instance,
            as_utc(r.created_at),
            as_utc(r.imported_at),
            r.n_parts,
            r.n_analyses,
        )
        for r in session.scalars(
            select(ImportedPackage)
            .where(ImportedPackage.active_source.is_not(None))
            .order_by(ImportedPackage.created_at)
        )
    ]
