"""Export of the national data package: this instance's id, its released figures as a checked file."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.orm import Session

from mintqo.config import PROJECT_ROOT
from mintqo.db.models import GroupRelease, InstanceMeta, WorkshopGroup, as_utc, utcnow
from mintqo.db.writes import dialect_insert
from mintqo.domain import package as pkg
from mintqo.domain import package_format as fmt
from mintqo.domain.package import Package, PackageError, Snapshot
from mintqo.domain.plaintext import clean
from mintqo.questionnaire_files import get_edition
from mintqo.services import releases

SCHEMA_PATH = PROJECT_ROOT / "data" / "schemas" / "national-package-2.schema.json"
INSTANCE_ID = "instance_id"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema of package version 2 (data/schemas/national-package-2.schema.json)."""
    found: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return found


def edition_lookup(questionnaire_dir: Path) -> fmt.EditionLookup:
    """Questionnaire editions of this instance by id (None for an edition it does not have)."""

    def lookup(edition: str) -> Any:
        try:
            return get_edition(questionnaire_dir, edition)
        except KeyError:
            return None

    return lookup


# --- the instance id ------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _insert_ignore(dialect: str) -> Insert:
    ins = dialect_insert(dialect)(InstanceMeta.__table__)
    return ins.on_conflict_do_nothing(index_elements=["key"])


def instance_id(session: Session, *, create: bool = True) -> str | None:
    """This instance's random id (made and stored on first need); None if it has none and create=False."""
    found = session.scalar(select(InstanceMeta.value).where(InstanceMeta.key == INSTANCE_ID))
    if found is not None or not create:
        return found
    dialect = session.get_bind().dialect.name
    session.execute(
        _insert_ignore(dialect), {"key": INSTANCE_ID, "value": str(uuid.uuid4()), "created_at": utcnow()}
    )
    session.commit()  # a concurrent first export may have won: read back what is stored
    return session.scalar(select(InstanceMeta.value).where(InstanceMeta.key == INSTANCE_ID))


# --- export ---------------------------------------------------------------------------------------------


def snapshots(session: Session) -> list[Snapshot]:
    """The latest live release of every local group and round (what a package is built from)."""
    out: list[Snapshot] = []
    for group in session.scalars(select(WorkshopGroup).order_by(WorkshopGroup.id)):
        rounds = session.scalars(
            select(GroupRelease.round).where(GroupRelease.group_id == group.id).distinct()
        )
        for round_no in sorted(set(rounds)):
            latest = releases.latest_release(session, group.id, round_no)
            if latest is None:
                continue
            out.append(
                Snapshot(
                    edition=group.edition,
                    round=round_no,
                    region=clean(group.region),
                    n=latest.n_members,
                    released_on=as_utc(latest.created_at).astimezone(UTC).date(),
                    hists=releases.release_histograms(session, latest.id),
                )
            )
    return out


def build_package(session: Session, *, now: datetime | None = None) -> Package:
    """A new package of this instance's released figures (imported ones are never part of it)."""
    return pkg.make_package(
        pkg.build_parts(snapshots(session)),
        package_id=str(uuid.uuid4()),
        source_instance=instance_id(session) or "",
        created_at=now or datetime.now(UTC),
    )


def export_package(
    session: Session, questionnaire_dir: Path, *, now: datetime | None = None
) -> tuple[Package, bytes]:
    """A new package and its file content, checked exactly as an import would check it."""
    package = build_package(session, now=now)
    content = pkg.to_bytes(package)
    try:
        fmt.parse_package(content, schema(), edition_lookup(questionnaire_dir), now=now)
    except PackageError as exc:
        raise PackageError(
            "Das Paket wurde nicht geschrieben: es würde beim Import abgelehnt.", exc.problems
        ) from None
    return package, content


def write_new_file(path: Path, content: bytes) -> None:
    """Write a file that must not exist yet, complete or not at all (never overwrites)."""
    if path.exists():
        raise PackageError(f"{path} gibt es schon – bitte einen neuen Dateinamen wählen.")
    path.parent.mkdir(parents=True, exist_ok=True)
    taken = PackageError(f"{path} gibt es schon – bitte einen neuen Dateinamen wählen.")
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with tmp.open("xb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            path.hardlink_to(tmp)  # appears complete under its name, and never replaces a file
        except FileExistsError:
            raise taken from None
        except OSError:  # a file system without hard links: exclusive create instead
            try:
                with path.open("xb") as fh:
                    fh.write(content)
            except FileExistsError:
                raise taken from None
    finally:
        tmp.unlink(missing_ok=True)


def default_path(directory: Path, today: datetime | None = None) -> Path:
    """mintqo-paket-YYYY-MM-DD.json in the directory, with -2, -3 … when that name is taken."""
    stem = f"mintqo-paket-{(today or datetime.now(UTC)):%Y-%m-%d}"
    path = directory / f"{stem}.json"
    n = 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}.json"
    return path
