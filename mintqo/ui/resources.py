"""One engine per process, short sessions per action, and the loaded questionnaire."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.questionnaires import get_edition


def settings() -> Settings:
    """Settings from the environment (cheap; read on every run so tests can inject)."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Datenbank wird vorbereitet …")
def _engine(database_url: str, auto_migrate: bool) -> Engine:
    if auto_migrate:
        migrate(database_url)
    return make_engine(database_url)


def engine() -> Engine:
    """The process-wide engine for the configured database (migrated on first use)."""
    s = settings()
    return _engine(s.database_url, s.auto_migrate)


@contextmanager
def db_session() -> Iterator[Session]:
    """A short-lived Session for one action."""
    with session_factory(engine())() as session:
        yield session


def questionnaire(edition: str | None = None) -> Questionnaire:
    """A questionnaire edition (default edition when None); files are parsed once per process."""
    s = settings()
    return get_edition(s.questionnaire_dir, edition or s.default_edition)
