"""One engine per process, short sessions per action, readiness (maintenance page), the questionnaire."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from streamlit.runtime.scriptrunner import get_script_run_ctx

from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.db.schema_state import SchemaState, schema_state
from mintqo.domain.questionnaire import Questionnaire
from mintqo.logging_setup import configure_logging
from mintqo.questionnaire_files import get_edition
from mintqo.ui import page_end

FAVICON = Path(__file__).with_name("favicon.png")  # served locally, unlike ":material/…" icons
log = logging.getLogger(__name__)
_logged: set[str] = set()  # log lines already written by this process (one line per state, not per run)


class SchemaNotServable(Exception):
    """The database schema is not the one this code was written for."""

    def __init__(self, state: SchemaState) -> None:
        super().__init__(state.log_line)
        self.state = state


class _ContextIds(logging.Filter):
    """Adds the Streamlit session id and nginx's X-Request-ID (of the websocket) to log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        ctx = get_script_run_ctx(suppress_warning=True)
        if ctx is not None:
            record.session_id = ctx.session_id
            try:
                record.request_id = st.context.headers.get("X-Request-Id")
            except Exception:  # no headers outside a browser session (AppTest, threads)
                record.request_id = None
        return True


_CONTEXT_IDS = _ContextIds()


def settings() -> Settings:
    """Settings from the environment (cheap; read on every run so tests can inject)."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Datenbank wird vorbereitet …")
def _sessions(database_url: str, auto_migrate: bool) -> sessionmaker[Session]:
    """One engine (and session factory) per process and database URL, once its schema fits.

    Raises SchemaNotServable (not cached: the next run checks again) when the schema is newer
    than this code, or behind it while MINTQO_AUTO_MIGRATE=false.
    """
    s = settings()
    configure_logging(s.log_format, _CONTEXT_IDS)
    engine = make_engine(database_url, s)
    try:
        state = schema_state(engine)
        if state.status in ("empty", "behind") and auto_migrate:
            migrate(database_url)
            state = schema_state(engine)
    except BaseException:
        engine.dispose()
        raise
    if not state.servable(s.accept_schema_revisions):
        engine.dispose()
        raise SchemaNotServable(state)
    return session_factory(engine)


def _log_once(line: str) -> None:
    if line not in _logged:
        _logged.add(line)
        log.error(line)


def ensure_ready() -> None:
    """Stop the run with a German maintenance page unless the database answers with a fitting schema."""
    s = settings()
    try:
        _sessions(s.database_url, s.auto_migrate)
    except SchemaNotServable as exc:
        _log_once(exc.state.log_line)
        st.title("mintqo wird gerade aktualisiert …")
        st.info(
            "Die Anwendung ist in wenigen Minuten wieder erreichbar. Bereits gespeicherte Antworten "
            "bleiben erhalten. Bitte laden Sie die Seite später neu."
        )
        page_end.stop()
    except SQLAlchemyError as exc:
        # errors.guarded (app.py) shows the German box with a reference and reloads once it answers.
        _log_once(f"database not reachable: {type(exc).__name__}")
        raise
    _logged.clear()  # a later problem is logged again


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
