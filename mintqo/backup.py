"""Consistent online backup and restore of the SQLite database (sqlite3's backup API)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(ValueError):
    """A backup or restore cannot be done (German message)."""


def sqlite_path(database_url: str) -> Path:
    """The database file of a SQLite URL; BackupError for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database:
        raise BackupError(
            "Sicherung und Wiederherstellung gibt es hier nur für SQLite. Für PostgreSQL nutzen Sie "
            "pg_dump bzw. pg_restore (siehe README)."
        )
    return Path(url.database)


def _copy(source: Path, target: Path) -> None:
    """Copy a live database page by page into a temp file next to the target, then rename."""
    fd, tmp_name = tempfile.mkstemp(prefix=".mintqo-", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # closing(): a sqlite3 connection's own context manager only commits, it does not close,
        # and an open copy would leave its -wal/-shm files behind after the rename.
        with (
            closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)) as src,
            closing(sqlite3.connect(tmp)) as dst,
        ):
            src.backup(dst)
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Die Kopie ist beschädigt; nichts wurde überschrieben.")
        tmp.replace(target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)


def _ensure_closed(database: Path) -> None:
    """Refuse while another process (the running app) has the database open.

    Every open WAL connection holds a shared lock; an exclusive-mode connection gets its lock
    only when no other connection is open, so this fails exactly while the app holds its pool.
    """
    if not database.exists():
        return
    try:
        with closing(sqlite3.connect(database, timeout=0)) as probe:
            probe.execute("PRAGMA locking_mode=EXCLUSIVE")
            probe.execute("BEGIN EXCLUSIVE")
            probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
            probe.rollback()
    except sqlite3.OperationalError as exc:
        raise BackupError(
            f"Die Datenbank {database} ist gerade geöffnet – läuft die App noch? Bitte beenden Sie sie "
            "(Strg+C im Fenster von scripts/start.sh) und stellen Sie dann wieder her. "
            "Nichts wurde verändert."
        ) from exc


def known_revisions() -> set[str]:
    """Every schema revision this version's migrations know."""
    from alembic.script import ScriptDirectory

    from mintqo.db.engine import alembic_config

    return {
        script.revision
        for script in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()
    }


def _check_revision(backup_file: Path, revisions: set[str]) -> None:
    """Refuse a backup whose schema this version cannot run (e.g. one made by a newer version)."""
    if len(revisions) != 1:
        raise BackupError(
            f"{backup_file} hat keinen eindeutigen Schema-Stand; nichts wurde verändert. "
            f"(No single schema revision in this backup; nothing was changed.)"
        )
    (revision,) = revisions
    if revision not in known_revisions():
        raise BackupError(
            f"Die Sicherung {backup_file} hat den Schema-Stand „{revision}“, den diese mintqo-Version "
            "nicht kennt (vermutlich von einer neueren Version). Bitte mit dieser neueren Version "
            "wiederherstellen; nichts wurde verändert. "
            f"(Unknown schema revision {revision!r}; restore refused, nothing was changed.)"
        )


def backup(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the running database to `target` (never overwrites a file)."""
    source = sqlite_path(database_url)
    if not source.exists():
        raise BackupError(f"Die Datenbank {source} gibt es nicht.")
    if target.exists():
        raise BackupError(f"{target} gibt es schon – bitte einen neuen Dateinamen wählen.")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    return target


def restore(database_url: str, backup_file: Path) -> Path:
    """Replace the database with a backup after checking it is an intact mintqo database.

    Stop the app first: open sessions would keep writing to the replaced file.
    """
    target = sqlite_path(database_url)
    if backup_file.is_dir():
        raise BackupError(f"{backup_file} ist ein Ordner, keine Sicherungsdatei.")
    if not backup_file.is_file():
        raise BackupError(f"Die Sicherung {backup_file} gibt es nicht.")
    try:
        with closing(sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Die Sicherung ist beschädigt; die Datenbank bleibt unverändert.")
            tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revisions = (
                {r[0] for r in check.execute("SELECT version_num FROM alembic_version")}
                if "alembic_version" in tables
                else set()
            )
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{backup_file} ist keine intakte SQLite-Datenbank; nichts wurde verändert."
        ) from exc
    if not {"alembic_version", "analysis", "answer"} <= tables:
        raise BackupError(f"{backup_file} ist keine mintqo-Datenbank; nichts wurde verändert.")
    _check_revision(backup_file, revisions)
    _ensure_closed(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):  # a stale WAL of the old file must not be replayed into the new one
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _copy(backup_file, target)
    return target
