"""Own-data exports (CSV, Excel) and SQLite backup / restore round trips."""

from __future__ import annotations

import io
import sqlite3
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mintqo.backup import BackupError, backup, restore
from mintqo.cli import main as cli_main
from mintqo.config import Settings
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.services import analyses, exports, logins, measures, team
from mintqo.services.answers import record_answer, save_note


@pytest.fixture
def project(session, questionnaire):
    started = analyses.start_analysis(session, questionnaire, Profile("Schülerlabor Nord", "Forscher-AG"))
    info = analyses.analysis_info(session, started.analysis_id)
    record_answer(session, questionnaire, info.analysis_id, info.rater_id, "A1.1", "3")
    bea = team.member(session, info.analysis_id, "Bea")
    record_answer(session, questionnaire, info.analysis_id, bea, "A1.1", "1")
    team.agree(session, questionnaire, info.analysis_id, "A1.1", "2", "Nur Gespräche, keine Daten")
    save_note(session, questionnaire, info.analysis_id, "A1", note="Bedarf – „geprüft“ ✓", action_needed=True)
    measures.add_measure(session, questionnaire, info.analysis_id, MeasureSpec("C2", "Fragebogen für Kinder"))
    return analyses.analysis_info(session, info.analysis_id)


def test_answer_table_has_german_headers_every_member_and_the_counting_value(session, questionnaire, project):
    data = exports.own_data(session, questionnaire, project)
    assert len(data.answers) == questionnaire.statement_count
    first = data.answers[0]
    assert list(first)[:4] == ["Hauptkriterium", "Unterkriterium", "Aussage-Id", "Aussage"]
    assert first["Aussage-Id"] == "A1.1" and first["Aussage"] == questionnaire.statement("A1.1").text
    assert first["Bewertung Team"].startswith("trifft eher zu") and first["Bewertung Bea"].startswith(
        "trifft nicht zu"
    )
    assert first["Vereinbart"].startswith("trifft eher nicht zu") and first["Zählt"] == first["Vereinbart"]
    assert first["Zählt (1–4)"] == 2
    assert {row["Zählt (1–4)"] for row in data.answers} <= {"", 1, 2, 3, 4}
    assert first["Begründung"] == "Nur Gespräche, keine Daten"
    assert (
        first["Handlungsbedarf"] == "ja"
        and first["Begründung / Belege (Unterkriterium)"] == "Bedarf – „geprüft“ ✓"
    )
    assert data.measures == [
        {
            "Unterkriterium": questionnaire.subcriterion("C2").label,
            "Was": "Fragebogen für Kinder",
            "Wer": "",
            "Bis": "",
            "Status": "geplant",
            "Runde": 1,
            "Notiz": "",
        }
    ]


def test_csv_is_semicolon_separated_utf8_with_bom(session, questionnaire, project):
    raw = exports.answers_csv(exports.own_data(session, questionnaire, project))
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header, first = text.splitlines()[:2]
    assert header.startswith("Hauptkriterium;Unterkriterium;Aussage-Id;Aussage;")
    assert "A1.1" in first and "„geprüft“ ✓" in text and "Ä" not in header  # umlauts survive, headers plain
    assert len(text.splitlines()) == questionnaire.statement_count + 1


def test_workbook_has_all_sheets_with_the_same_rows(session, questionnaire, project):
    data = exports.own_data(session, questionnaire, project)
    book = load_workbook(io.BytesIO(exports.workbook(data, project)))
    assert book.sheetnames == ["Antworten", "Maßnahmen", "Werte"]
    answers = list(book["Antworten"].values)
    assert list(answers[0]) == list(data.answers[0])
    assert len(answers) == questionnaire.statement_count + 1
    assert list(book["Maßnahmen"].values)[1][1] == "Fragebogen für Kinder"
    assert book["Antworten"].freeze_panes == "A2"


def test_workbook_has_real_due_dates_and_a_sheet_of_scores(session, questionnaire, project):
    measures.add_measure(
        session, questionnaire, project.analysis_id, MeasureSpec("A1", "Elternabend", due=date(2027, 3, 1))
    )
    data = exports.own_data(session, questionnaire, project)
    book = load_workbook(io.BytesIO(exports.workbook(data, project)))
    sheet = book["Maßnahmen"]
    headers = [c.value for c in sheet[1]]
    due = {row[headers.index("Was")].value: row[headers.index("Bis")] for row in sheet.iter_rows(min_row=2)}
    assert due["Elternabend"].value.date() == date(2027, 3, 1)  # a date Excel can sort and filter
    assert due["Elternabend"].number_format == "DD.MM.YYYY"
    assert due["Fragebogen für Kinder"].value is None
    values = list(book["Werte"].iter_rows(values_only=True))
    assert values[0][:5] == ("Ebene", "Id", "Titel", "Wert (1–4)", "Einstufung")
    by_id = {row[1]: row for row in values[1:]}
    assert len(values) == 1 + len(questionnaire.subcriteria) + len(questionnaire.criteria)
    assert by_id["A1"][3] == 2.0 and by_id["A1"][4] == "ausbaufähig"  # the agreed 2 counts, as a number
    assert by_id["A"][0] == "Hauptkriterium" and by_id["A"][3] == 2.0
    assert by_id["B1"][3] is None and by_id["B1"][4] == "keine Bewertung"
    assert exports.measures_csv(data).decode("utf-8-sig").count("01.03.2027") == 1  # CSV keeps German text


def _count(url: str, sql: str) -> int:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:  # closed, or restore sees it
        return conn.execute(sql).fetchone()[0]


def test_backup_while_open_then_restore_brings_the_data_back(sqlite_settings, questionnaire, tmp_path):
    url = sqlite_settings.database_url
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        started = analyses.start_analysis(s, questionnaire, Profile("Ini", "Projekt"))
        info = analyses.analysis_info(s, started.analysis_id)
        record_answer(s, questionnaire, info.analysis_id, info.rater_id, "A1.1", "3")
        copy = backup(url, tmp_path / "sicherung.sqlite3")  # the app's engine is still connected
        record_answer(s, questionnaire, info.analysis_id, info.rater_id, "A1.2", "4")
    engine.dispose()
    assert _count(f"sqlite:///{copy}", "SELECT count(*) FROM answer") == 1
    assert _count(url, "SELECT count(*) FROM answer") == 2
    restore(url, copy)
    assert _count(url, "SELECT count(*) FROM answer") == 1
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert logins.resume_with_code(s, started.code) == info.analysis_id
    engine.dispose()


def test_backup_and_restore_refuse_bad_input_and_change_nothing(sqlite_settings, tmp_path, capsys):
    url = sqlite_settings.database_url
    migrate(url)
    before = Path(url.removeprefix("sqlite:///")).read_bytes()
    existing = tmp_path / "schon-da.sqlite3"
    existing.write_text("x")
    with pytest.raises(BackupError, match="gibt es schon"):
        backup(url, existing)
    junk = tmp_path / "kaputt.sqlite3"
    junk.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50)
    with pytest.raises(BackupError, match="nichts wurde verändert"):
        restore(url, junk)
    other = tmp_path / "fremd.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="keine mintqo-Datenbank"):
        restore(url, other)
    assert Path(url.removeprefix("sqlite:///")).read_bytes() == before
    pg = Settings(database_url="postgresql+psycopg://u@localhost/db")
    assert cli_main(["backup", str(tmp_path / "p.sqlite3")], settings=pg) == 2
    assert "pg_dump" in capsys.readouterr().err


def test_restore_refuses_while_the_app_has_the_database_open(sqlite_settings, questionnaire, tmp_path):
    url = sqlite_settings.database_url
    migrate(url)
    engine = make_engine(url)  # the running app: a pool with an open WAL connection
    with session_factory(engine)() as s:
        started = analyses.start_analysis(s, questionnaire, Profile("Ini", "Projekt"))
        copy = backup(url, tmp_path / "sicherung.sqlite3")
        info = analyses.analysis_info(s, started.analysis_id)
        record_answer(s, questionnaire, info.analysis_id, info.rater_id, "A1.1", "3")
    # The backup leaves nothing but its file behind (no temp file, no -wal/-shm of the copy).
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("mintqo.")) == [
        "sicherung.sqlite3"
    ]
    with pytest.raises(BackupError, match="läuft die App noch"):
        restore(url, copy)
    assert _count(url, "SELECT count(*) FROM answer") == 1  # the answer given after the backup is kept
    engine.dispose()  # the app is stopped
    restore(url, copy)
    assert _count(url, "SELECT count(*) FROM answer") == 0
    with pytest.raises(BackupError, match="ist ein Ordner"):
        restore(url, tmp_path)
