"""Reports and deletion in real Chromium: download the PDF report and the Excel file from the
results page, open both, then delete the project with the confirmation step."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader
from sqlalchemy import Engine, func, select

from mintqo.config import Settings
from mintqo.db.engine import migrate, session_factory
from mintqo.db.models import Project
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.questionnaire_files import get_edition
from mintqo.services import analyses, measures
from mintqo.services.answers import record_answer, save_note

pytestmark = pytest.mark.e2e

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screens"
PROJECT = "Mädchen-Technik-Tage „Löten & Coden“"
INITIATIVE = "Schülerforschungszentrum Süd"
MEASURE = "Gespräche mit drei Schulen über Anschlussangebote führen"


def _submitted_analysis(engine: Engine) -> str:
    """A submitted analysis with answers, a note and a measure; returns its access code."""
    settings = Settings()
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    values = ("4", "3", "2", "3", "dk", "1")
    with session_factory(engine)() as s:
        started = analyses.start_analysis(s, q, Profile(INITIATIVE, PROJECT, region="Süd"))
        info = analyses.analysis_info(s, started.analysis_id)
        for i, statement in enumerate(q.statements()):
            record_answer(s, q, info.analysis_id, info.rater_id, statement.id, values[i % len(values)])
        save_note(s, q, info.analysis_id, "A1", note="Bedarf mit Schulen abgestimmt (Protokoll)")
        measures.add_measure(s, q, info.analysis_id, MeasureSpec("C2", MEASURE, "Frau Yılmaz"))
        analyses.submit(s, info.analysis_id)
    return started.code


def _projects(engine: Engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(Project)) or 0


def test_download_pdf_and_excel_then_delete_the_project(
    app_server: str, app_db: Engine, page: Page, wait_for_app: Callable[..., None]
) -> None:
    # Nothing on any page may load from elsewhere (privacy, and offline workshop rooms).
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(app_server) else external.append(r.url))
    migrate(app_db.url.render_as_string(hide_password=False))  # as the server does on first use
    page.goto(app_server)
    wait_for_app(page, page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
    code = _submitted_analysis(app_db)
    before = _projects(app_db)
    SCREENS.mkdir(parents=True, exist_ok=True)

    # The resume link of a submitted analysis opens its results.
    page.goto(f"{app_server}/?code={code}")
    wait_for_app(page, page.get_by_role("heading", name="Ihre Ergebnisse"))
    pdf_button = page.get_by_role("button", name=re.compile(r"^PDF"))
    pdf_button.scroll_into_view_if_needed()
    expect(pdf_button).to_be_visible()

    with page.expect_download(timeout=120_000) as pdf_download:
        pdf_button.click()
    download = pdf_download.value
    assert download.suggested_filename.endswith(".pdf")
    reader = PdfReader(io.BytesIO(Path(download.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)  # cells wrap
    assert len(reader.pages) >= 2
    for expected in (INITIATIVE, "Angebotsqualität", "Ressourcenqualität", "Ergebnisqualität", MEASURE):
        assert expected in text, expected
    assert f"Seite 1 von {len(reader.pages)}" in text

    xlsx_button = page.get_by_role("button", name=re.compile(r"^Excel"))
    with page.expect_download() as xlsx_download:
        xlsx_button.click()
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert book.sheetnames == ["Antworten", "Maßnahmen", "Werte"]
    answers = list(book["Antworten"].iter_rows(values_only=True))
    assert answers[0][:4] == ("Hauptkriterium", "Unterkriterium", "Aussage-Id", "Aussage")
    assert answers[1][2] == "A1.1" and answers[1][-1] == "Bedarf mit Schulen abgestimmt (Protokoll)"
    assert [row[1] for row in book["Maßnahmen"].iter_rows(min_row=2, values_only=True)] == [MEASURE]
    page.screenshot(path=str(SCREENS / "results-downloads.png"), full_page=True)

    # Delete the project: a wrong word deletes nothing, the project's name does.
    page.get_by_role("link", name="Daten löschen").click()
    wait_for_app(page, page.get_by_role("heading", name="Daten löschen"))
    box = page.get_by_role("textbox", name=re.compile("Zur Bestätigung"))
    box.fill("Mädchen")
    page.get_by_role("button", name="Endgültig löschen").click()
    wait_for_app(page, page.get_by_text("es wurde nichts gelöscht"))
    assert _projects(app_db) == before
    page.screenshot(path=str(SCREENS / "delete-refused.png"), full_page=True)
    box.fill(PROJECT)
    page.get_by_role("button", name="Endgültig löschen").click()
    wait_for_app(page, page.get_by_text(f"Gelöscht: das Projekt „{PROJECT}“ (1 Runde)"))
    expect(page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen")).to_be_visible()
    assert _projects(app_db) == before - 1
    page.screenshot(path=str(SCREENS / "delete-done.png"), full_page=True)

    # The old resume link no longer opens anything.
    page.goto(f"{app_server}/?code={code}")
    wait_for_app(page, page.get_by_text("Dieser Zugangscode ist uns nicht bekannt"))
    assert external == []
