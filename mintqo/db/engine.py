"""Engine creation (SQLite pragmas, PostgreSQL pooling) and Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from alembic import command
from mintqo.config import PROJECT_ROOT

ALEMBIC_DIR = PROJECT_ROOT / "alembic"
# synchronous=FULL: every saved answer survives a power cut (NORMAL may lose the last commits);
# it costs one fsync (~0.3 ms here) per answer, invisible next to a ~100 ms page rerun.
SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=10000",  # 20 sessions writing at once wait their turn, not fail
)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def make_engine(database_url: str) -> Engine:
    """Create an engine; SQLite files get WAL, foreign keys and a busy timeout."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise ValueError("mintqo needs a SQLite file, not an in-memory database")
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def alembic_config(database_url: str) -> Config:
    """Alembic configuration pointing at the project's migration scripts."""
    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def migrate(database_url: str) -> None:
    """Bring the database schema to the newest revision (creates it when empty)."""
    command.upgrade(alembic_config(database_url), "head")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Session factory bound to an engine; objects stay usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)
