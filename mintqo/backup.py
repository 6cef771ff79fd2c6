"""Consistent online backup and restore of the SQLite database (sqlite3's backup API)."""

from __future__ import annotations

import os
import sqlite3
import tempfile
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
        with (
            sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as src,
            sqlite3.connect(tmp) as dst,
        ):
            src.backup(dst)
            if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Die Kopie ist beschädigt; nichts wurde überschrieben.")
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


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
    if not backup_file.is_file():
        raise BackupError(f"Die Sicherung {backup_file} gibt es nicht.")
    try:
        with sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True) as check:
            if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("Die Sicherung ist beschädigt; die Datenbank bleibt unverändert.")
            tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"{backup_file} ist keine SQLite-Datenbank ({exc}); nichts wurde verändert."
        ) from exc
    if not {"alembic_version", "analysis", "answer"} <= tables:
        raise BackupError(f"{backup_file} ist keine mintqo-Datenbank; nichts wurde verändert.")
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):  # a stale WAL of the old file must not be replayed into the new one
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    _copy(backup_file, target)
    return target
