"""Settings read from environment variables, in this one place only."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_QUESTIONNAIRE_DIR = PROJECT_ROOT / "data" / "questionnaires"
DEFAULT_EDITION = "mintqo-standard-2026.1"
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "mintqo.sqlite3"
DEFAULT_BROWSER_PATH = "/usr/bin/chromium"  # Debian's Chromium, for chart images in PDF reports


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    value = env.get(name)
    return default if value is None or value.strip() == "" else int(value)


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; build with `Settings.from_env` or directly in tests."""

    database_url: str = f"sqlite:///{DEFAULT_SQLITE_PATH}"
    questionnaire_dir: Path = DEFAULT_QUESTIONNAIRE_DIR
    default_edition: str = DEFAULT_EDITION
    auto_migrate: bool = True
    base_url: str | None = None
    login_session_hours: int = 12
    browser_path: str = DEFAULT_BROWSER_PATH
    pdf_warmup: bool = True  # start Chromium and the report fonts in the background at the first page
    # How long a SQLite write waits for another writer's lock before it fails (and says so).
    sqlite_busy_timeout_ms: int = 10_000
    # PostgreSQL connection pool per process (ignored for SQLite); see docs/deployment.md for sizing.
    db_pool_size: int = 5
    db_max_overflow: int = 5
    db_pool_timeout: float = 30.0  # seconds to wait for a free pooled connection
    db_pool_recycle: int = 1800  # seconds after which a pooled connection is replaced (-1: never)
    db_application_name: str = "mintqo"  # shown in pg_stat_activity
    db_statement_timeout_ms: int = 0  # 0: no limit; not supported behind PgBouncer (startup option)
    db_prepared_statements: bool = True  # false behind PgBouncer < 1.21 in transaction mode
    # Newer schema revisions this (older) release may serve anyway, e.g. after a rollback of the
    # code past a migration that kept it working (the compatibility rule, docs/deployment.md).
    accept_schema_revisions: tuple[str, ...] = ()
    log_format: str = "text"  # "json": one JSON object per line

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read MINTQO_* environment variables, falling back to defaults."""
        env = os.environ if env is None else env
        base = cls()
        return replace(
            base,
            database_url=env.get("MINTQO_DATABASE_URL") or base.database_url,
            questionnaire_dir=Path(env.get("MINTQO_QUESTIONNAIRE_DIR") or base.questionnaire_dir),
            default_edition=env.get("MINTQO_DEFAULT_EDITION") or base.default_edition,
            auto_migrate=_flag(env.get("MINTQO_AUTO_MIGRATE"), base.auto_migrate),
            base_url=env.get("MINTQO_BASE_URL") or None,
            login_session_hours=int(env.get("MINTQO_LOGIN_SESSION_HOURS") or base.login_session_hours),
            browser_path=env.get("MINTQO_BROWSER_PATH") or base.browser_path,
            pdf_warmup=_flag(env.get("MINTQO_PDF_WARMUP"), base.pdf_warmup),
            sqlite_busy_timeout_ms=_int(env, "MINTQO_SQLITE_BUSY_TIMEOUT_MS", base.sqlite_busy_timeout_ms),
            db_pool_size=_int(env, "MINTQO_DB_POOL_SIZE", base.db_pool_size),
            db_max_overflow=_int(env, "MINTQO_DB_MAX_OVERFLOW", base.db_max_overflow),
            db_pool_timeout=float(env.get("MINTQO_DB_POOL_TIMEOUT") or base.db_pool_timeout),
            db_pool_recycle=_int(env, "MINTQO_DB_POOL_RECYCLE", base.db_pool_recycle),
            db_application_name=env.get("MINTQO_DB_APPLICATION_NAME") or base.db_application_name,
            db_statement_timeout_ms=_int(env, "MINTQO_DB_STATEMENT_TIMEOUT_MS", base.db_statement_timeout_ms),
            db_prepared_statements=_flag(
                env.get("MINTQO_DB_PREPARED_STATEMENTS"), base.db_prepared_statements
            ),
            accept_schema_revisions=tuple(
                r.strip() for r in (env.get("MINTQO_ACCEPT_SCHEMA_REVISIONS") or "").split(",") if r.strip()
            ),
            log_format=(env.get("MINTQO_LOG_FORMAT") or base.log_format).strip().lower(),
        )
