"""What a browser sees when something breaks: a German box with a reference id, never a traceback."""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Callable

import streamlit as st
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, TimeoutError

from mintqo.services.analyses import AnalysisError
from mintqo.ui.resources import db_session

logger = logging.getLogger("mintqo")  # handlers and format: mintqo.logging_setup

DB_DOWN = (
    "Die Datenbank ist gerade nicht erreichbar. Bereits gespeicherte Antworten bleiben erhalten. "
    "Die Seite lädt von selbst neu, sobald die Datenbank wieder antwortet."
)
UNEXPECTED = (
    "Es ist ein Fehler aufgetreten. Bitte laden Sie die Seite neu; bereits gespeicherte Antworten "
    "bleiben erhalten. Wenn der Fehler bleibt, nennen Sie der Moderation diese Referenz."
)
RETRY_SECONDS = 5


def is_database_down(error: BaseException) -> bool:
    """Whether an error means the database is unreachable, locked or busy (worth retrying)."""
    if isinstance(error, (OperationalError, InterfaceError, TimeoutError, sqlite3.OperationalError)):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def log_error(error: BaseException, what: str = "page failed") -> str:
    """Log the full traceback under a new short reference id and return the id."""
    reference = secrets.token_hex(3)
    logger.error("%s [ref %s]", what, reference, exc_info=error)
    return reference


def save_failure(error: Exception) -> str:
    """German reason why a save failed: a domain message as is, anything else logged with an id."""
    if isinstance(error, AnalysisError):
        return str(error)
    reference = log_error(error, "save failed")
    if is_database_down(error):
        return f"Die Datenbank ist gerade nicht erreichbar (Referenz {reference})."
    return f"Es ist ein Fehler aufgetreten (Referenz {reference})."


def message_for(error: BaseException, what: str = "page failed") -> str:
    """The German message for an unexpected error (traceback logged under its reference id)."""
    reference = log_error(error, what)
    text_ = DB_DOWN if is_database_down(error) else UNEXPECTED
    return f"{text_} (Referenz {reference})"


# After the connection to the server was lost (restart, crash, network) Streamlit reconnects but
# keeps showing the old screen, including clicks the new server never received. Reloading makes
# the page read everything from the database again (the URL keeps login and step). It reloads the
# address the page had while connected: right after reconnecting, Streamlit may replay the last
# request to the new server, whose first run can move the address to the start page.
_RELOAD_AFTER_RECONNECT = """<script>
if (!window.mintqoReconnectWatch) {
  window.mintqoReconnectWatch = true;
  let lost = false;
  let address = window.location.href;
  setInterval(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const connection = app && app.getAttribute('data-test-connection-state');
    if (connection && connection !== 'CONNECTED') { lost = true; }
    else if (connection === 'CONNECTED' && lost) { lost = false; window.location.replace(address); }
    else if (connection === 'CONNECTED') { address = window.location.href; }
  }, 500);
}
</script>"""


def guarded(run: Callable[[], object]) -> None:
    """Run a page (or the whole app script); unexpected errors become one German box.

    Streamlit's own control flow (st.rerun, st.stop, st.switch_page) derives from
    BaseException, not Exception, so it passes through untouched.
    """
    st.html(_RELOAD_AFTER_RECONNECT, unsafe_allow_javascript=True, width="content")
    contain(run)


def contain(run: Callable[[], object]) -> None:
    """Run a part of a page (e.g. a fragment's rerun); an unexpected error becomes one German box."""
    try:
        run()
    except Exception as error:
        down = is_database_down(error)
        st.error(message_for(error), icon=":material/error:")
        if down:
            _wait_for_database()


@st.fragment(run_every=RETRY_SECONDS)
def _wait_for_database() -> None:
    """While the database is down, try it every few seconds and reload the page once it answers.

    A reload (not st.rerun) opens the address's page afresh, so the page is right even when
    the failed run was a restarted server's first one.
    """
    try:
        with db_session() as session:
            session.execute(text("SELECT 1"))
    except Exception:  # still down: try again at the next tick
        return
    st.html("<script>window.location.reload();</script>", unsafe_allow_javascript=True, width="content")
