"""Engine creation (SQLite pragmas, PostgreSQL pooling) and Alembic migrations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from alembic import command
from mintqo.config import PROJECT_ROOT, Settings

ALEMBIC_DIR = PROJECT_ROOT / "alembic"
# synchronous=FULL: every saved answer survives a power cut (NORMAL may lose the last commits);
# it costs one fsync (~0.3 ms here) per answer, invisible next to a ~100 ms page rerun.
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=10000",  # 20 sessions writing at once wait their turn, not fail
)


def _sqlite_pragmas(busy_timeout_ms: int) -> Callable[[Any, Any], None]:
    """Connect hook: SQLITE_PRAGMAS, with the configured busy timeout (MINTQO_SQLITE_BUSY_TIMEOUT_MS)."""
    pragmas = [p for p in SQLITE_PRAGMAS if "busy_timeout" not in p]
    pragmas.append(f"PRAGMA busy_timeout={busy_timeout_ms}")

    def run(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    return run


def make_engine(database_url: str, settings: Settings | None = None) -> Engine:
    """Create an engine; SQLite files get WAL, foreign keys and a busy timeout.

    SQLite's busy timeout and PostgreSQL's pool size, overflow, timeouts and application_name come
    from `settings` (the MINTQO_* environment variables when None).
    """
    url = make_url(database_url)
    s = settings or Settings.from_env()
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ValueError("mintqo needs a SQLite file, not an in-memory database")
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": s.sqlite_busy_timeout_ms / 1000})
        event.listen(engine, "connect", _sqlite_pragmas(s.sqlite_busy_timeout_ms))
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql":
        connect_args["application_name"] = s.db_application_name
        if not s.db_prepared_statements:
            connect_args["prepare_threshold"] = None  # psycopg: never prepare server-side
        if s.db_statement_timeout_ms > 0:
            connect_args["options"] = f"-c statement_timeout={s.db_statement_timeout_ms}"
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_size=s.db_pool_size,
        max_overflow=s.db_max_overflow,
        pool_timeout=s.db_pool_timeout,
        pool_recycle=s.db_pool_recycle,
        connect_args=connect_args,
    )


def alembic_config(database_url: str) -> Config:
    """Alembic configuration pointing at the project's migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


# Key of the PostgreSQL advisory lock that serialises migrations ("mintqo" in ASCII).
MIGRATION_LOCK_KEY = 0x6D696E74716F


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock on a file next to the SQLite database (held until the block ends)."""
    import fcntl  # POSIX only, like the deployments mintqo supports

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(database_url: str) -> None:
    """Bring the database schema to the newest revision (creates it when empty).

    Concurrent calls are harmless: PostgreSQL migrations run under a session advisory lock on
    the migration connection, SQLite ones under a file lock; the second caller waits, then finds
    the schema at head and does nothing.
    """
    url = make_url(database_url)
    cfg = alembic_config(database_url)
    if url.get_backend_name() == "sqlite":
        database = Path(str(url.database)).expanduser()
        database.parent.mkdir(parents=True, exist_ok=True)
        with _file_lock(database.with_name(database.name + ".migrate-lock")):
            command.upgrade(cfg, "head")
        return
    engine = make_engine(database_url, replace(Settings.from_env(), db_pool_size=1, db_max_overflow=0))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
            try:
                cfg.attributes["connection"] = connection  # alembic/env.py runs on this connection
                command.upgrade(cfg, "head")
                connection.commit()
            finally:
                connection.rollback()
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()
    finally:
        engine.dispose()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory bound to an engine; objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
