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
        )
