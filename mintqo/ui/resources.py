"""One engine per process, short sessions per action, and the loaded questionnaire."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from sqlalchemy.orm import Session, sessionmaker

from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.questionnaires import get_edition

FAVICON = Path(__file__).with_name("favicon.png")  # served locally, unlike ":material/…" icons


def settings() -> Settings:
    """Settings from the environment (cheap; read on every run so tests can inject)."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Datenbank wird vorbereitet …")
def _sessions(database_url: str, auto_migrate: bool) -> sessionmaker[Session]:
    """One engine (and session factory) per process and database URL."""
    if auto_migrate:
        migrate(database_url)
    return session_factory(make_engine(database_url))


@contextmanager
def db_session() -> Iterator[Session]:
    """A short-lived Session for one action, from the process-wide session factory."""
    s = settings()
    with _sessions(s.database_url, s.auto_migrate)() as session:
        yield session


def questionnaire(edition: str | None = None) -> Questionnaire:
    """A questionnaire edition (default edition when None); files are parsed once per process."""
    s = settings()
    return get_edition(s.questionnaire_dir, edition or s.default_edition)
