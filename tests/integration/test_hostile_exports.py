"""Hostile text in exports: control characters never break Excel or the PDF, formulas never run."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import update

from mintqo.db.models import Initiative, Measure, Project, Rater, SubcriterionNote
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.report import build_pdf
from mintqo.services import analyses, exports, measures, team
from mintqo.services import answers as answer_service

FORMULA = '=HYPERLINK("http://example.org/x";"klick")'
NOTE = "Erste Zeile\x0bzweite Zeile" + FORMULA
PROJECT = "# Über ![x](http://e.org/x.png) <b>fett</b> :red[rot] $x$ | a |"
INITIATIVE = "**Ini** <i>kursiv</i> @Initiative"
MEMBER = "-Bea+"


@pytest.fixture
def hostile(session, questionnaire):
    """An analysis whose names, note and measures hold markup, formula starts and control characters."""
    started = analyses.start_analysis(session, questionnaire, Profile(initiative=INITIATIVE, project=PROJECT))
    info = analyses.analysis_info(session, started.analysis_id)
    aid = info.analysis_id
    bea = team.member(session, aid, MEMBER)
    answer_service.record_answer(session, questionnaire, aid, info.rater_id, "A1.1", "3")
    answer_service.record_answer(session, questionnaire, aid, bea, "A1.1", "1")
    team.agree(session, questionnaire, aid, "A1.1", "2", "+49 und -1 Grund")
    answer_service.save_note(session, questionnaire, aid, "A1", note=NOTE, action_needed=True)
    measures.add_measure(session, questionnaire, aid, MeasureSpec("A1", FORMULA, "@Bea", note=NOTE))
    measures.add_measure(session, questionnaire, aid, MeasureSpec("A2", "-5 % Abbruch", "Team", note="-"))
    return analyses.analysis_info(session, aid)


def _legacy_control_characters(session, info) -> None:
    """Rows written before input cleaning existed still carry \\x0b: exports must cope with them."""
    raw = "Alt\x0bvom Word-Umbruch\x01" + FORMULA
    session.execute(update(SubcriterionNote).values(note=raw))
    session.execute(update(Measure).where(Measure.what == FORMULA).values(note=raw))
    session.execute(update(Rater).where(Rater.display_name == MEMBER).values(display_name="Bea\x0b"))
    session.execute(update(Project).values(name=PROJECT + "\x0b"))
    session.execute(update(Initiative).values(name=INITIATIVE + "\x0c"))
    session.commit()


def test_input_is_stored_without_control_characters(session, questionnaire, hostile):
    note = answer_service.notes_of(session, hostile.analysis_id)["A1"].note
    assert note == "Erste Zeile\nzweite Zeile" + FORMULA
    assert [m.note for m in measures.measures_of(session, hostile.project_id)][:1] == [note]


def test_excel_opens_and_no_cell_is_a_formula(session, questionnaire, hostile):
    _legacy_control_characters(session, hostile)
    info = analyses.analysis_info(session, hostile.analysis_id)
    book = load_workbook(io.BytesIO(exports.workbook(exports.own_data(session, questionnaire, info), info)))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert not any("\x0b" in c.value or "\x01" in c.value for c in texts)
    formula_cells = [c for c in texts if c.value.startswith(("=", "+", "-", "@"))]
    # Shown as typed, stored as text with the text prefix: Excel and LibreOffice never evaluate it.
    assert {c.value for c in formula_cells} >= {FORMULA, "@Bea", "-5 % Abbruch", "-", "+49 und -1 Grund"}
    assert all(c.data_type == "s" and c.quotePrefix for c in formula_cells)
    assert "Alt\nvom Word-Umbruch" + FORMULA in {c.value for c in texts}
    # Genuine numbers stay numbers a spreadsheet can calculate with.
    answers = book["Antworten"]
    header = [c.value for c in answers[1]]
    assert answers.cell(2, header.index("Zählt (1–4)") + 1).value == 2
    assert "Bewertung Bea\n" in header


def test_csv_cells_never_start_a_formula(session, questionnaire, hostile):
    _legacy_control_characters(session, hostile)
    info = analyses.analysis_info(session, hostile.analysis_id)
    data = exports.own_data(session, questionnaire, info)
    for raw in (exports.answers_csv(data), exports.measures_csv(data)):
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        fields = [f for row in rows for f in row]
        assert not [f for f in fields if f.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert not any("\x0b" in f or "\x01" in f for f in fields)
    measure_rows = list(
        csv.DictReader(io.StringIO(exports.measures_csv(data).decode("utf-8-sig")), delimiter=";")
    )
    first = next(r for r in measure_rows if r["Was"] == "'" + FORMULA)
    assert first["Wer"] == "'@Bea" and first["Notiz"] == "Alt\nvom Word-Umbruch" + FORMULA
    assert {r["Was"] for r in measure_rows} == {"'" + FORMULA, "'-5 % Abbruch"}
    answer_rows = list(
        csv.DictReader(io.StringIO(exports.answers_csv(data).decode("utf-8-sig")), delimiter=";")
    )
    assert answer_rows[0]["Zählt (1–4)"] == "2" and answer_rows[0]["Begründung"] == "'+49 und -1 Grund"


def test_pdf_with_hostile_names_renders_them_literally(session, questionnaire, hostile):
    _legacy_control_characters(session, hostile)
    info = analyses.analysis_info(session, hostile.analysis_id)
    raw = build_pdf(
        session, questionnaire, info, None, load_edition=lambda _: questionnaire, browser_path="/nonexistent"
    )
    reader = PdfReader(io.BytesIO(raw))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert PROJECT in text and INITIATIVE in text
    assert FORMULA in text and "Alt vom Word-Umbruch" in text
    assert reader.metadata.title == f"Bericht zur Selbstanalyse – {PROJECT} (Runde 1)"
