"""An unreachable database gives one German box with a reference id, never a traceback."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LEAKS = ("Traceback", "sqlalchemy", "sqlite3", "OperationalError", 'File "', ".py")


def test_a_database_that_cannot_be_opened_gives_a_german_message_and_a_logged_reference(
    tmp_path, monkeypatch, caplog
):
    where = tmp_path / "db.sqlite3"
    where.mkdir()  # a directory where the database file should be: SQLite cannot open it
    monkeypatch.setenv("MINTQO_DATABASE_URL", f"sqlite:///{where}")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["sitzung"] = "x" * 43  # a reload of a logged-in page must read the database
    with caplog.at_level(logging.ERROR, logger="mintqo"):
        at.run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "Die Datenbank ist gerade nicht erreichbar" in shown
    reference = re.search(r"Referenz ([0-9a-f]{6})", shown)
    assert reference, shown
    everything = shown + " ".join(m.value for m in at.markdown)
    for leak in LEAKS:
        assert leak not in everything
    logged = [r for r in caplog.records if f"[ref {reference.group(1)}]" in r.getMessage()]
    assert logged and logged[0].exc_info is not None  # the full traceback stays on the server
    caplog.get_records("call").clear()  # the crash was expected here (conftest.no_hidden_page_error)

    where.rmdir()  # the database is back: the next run works without a restart
    at.query_params.pop("sitzung")
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == "Selbstanalyse für MINT-Initiativen"
