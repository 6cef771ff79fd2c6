"""PDF report without a database: texts and rows, column widths, and a rendered PDF without charts."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from mintqo.config import DEFAULT_BROWSER_PATH, Settings
from mintqo.domain.anonymity import picture
from mintqo.domain.benchmark import contribution, histograms_of
from mintqo.domain.scoring import score_analysis
from mintqo.report import Charts, ReportData, content, figures, images, render
from mintqo.report.data import PreviousRound
from mintqo.report.layout import ReportPDF
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.services.benchmarks import GROUP, Comparison
from mintqo.services.measures import MeasureRow

NOW = datetime(2026, 3, 14, 9, 30)
PROJECT = "Mädchen-Technik-Tage „Löten & Coden“"


def _answers(q, value: str) -> dict[str, str]:
    return {st.id: value for st in q.statements()}


def _info(round_no: int = 1, team_size: int = 1) -> AnalysisInfo:
    return AnalysisInfo(
        analysis_id=1,
        project_id=1,
        rater_id=1,
        rater_name="Team",
        team_size=team_size,
        members=team_size,
        initiative="Schülerforschungszentrum Süd",
        project=PROJECT,
        region="Süd",
        target_group=None,
        mint_field="Technik",
        edition="mintqo-standard-2026.1",
        round=round_no,
        status="submitted",
        created_at=NOW,
        submitted_at=NOW,
    )


def _released(q) -> Comparison:
    hists = histograms_of(contribution(q, _answers(q, v)) for v in ("2", "3", "3", "4"))
    label = "Workshopgruppe „Süd“ · Freigabe vom 01.03.2026"
    return Comparison(GROUP, label, picture(q, label, hists, 4, 3), hists, None)


def _data(q, answers=None, *, comparison=None, previous=None, notes=None, measures=(), **info) -> ReportData:
    answers = answers if answers is not None else _answers(q, "3")
    return ReportData(
        q=q,
        info=_info(**info),
        answers=answers,
        results=score_analysis(q, answers),
        notes=notes or {},
        measures=tuple(measures),
        previous=previous,
        comparison=comparison,
        created=NOW,
    )


def _measure(what: str, round_no: int = 1, note: str = "", status: str = "geplant") -> MeasureRow:
    return MeasureRow(1, "C2", what, "Frau Yılmaz", date(2026, 6, 30), status, note, round_no, NOW)


def _text(pdf: bytes) -> tuple[PdfReader, str]:
    """The reader and all text, whitespace collapsed (table cells and paragraphs wrap)."""
    reader = PdfReader(io.BytesIO(pdf))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_browser_path_setting_defaults_to_debian_chromium_and_reads_the_environment():
    assert Settings().browser_path == DEFAULT_BROWSER_PATH == "/usr/bin/chromium"
    assert (
        Settings.from_env({"MINTQO_BROWSER_PATH": "/opt/chrome/chrome"}).browser_path == "/opt/chrome/chrome"
    )
    assert Settings.from_env({}).browser_path == DEFAULT_BROWSER_PATH


def test_comparison_text_says_which_band_or_why_there_is_none(questionnaire):
    released = _released(questionnaire)
    assert content.comparison_text(_data(questionnaire, comparison=released)) == (
        "Workshopgruppe „Süd“ · Freigabe vom 01.03.2026 (n = 4 Analysen)"
    )
    withheld = Comparison(GROUP, "Workshopgruppe „Süd“", None, {}, "noch zu wenige Analysen (2 von 3)")
    text = content.comparison_text(_data(questionnaire, comparison=withheld))
    assert text.startswith("Kein Gruppenvergleich") and "2 von 3" in text
    assert content.comparison_text(_data(questionnaire)).startswith("Kein Gruppenvergleich")


def test_value_table_has_the_band_columns_only_with_a_released_picture(questionnaire):
    headers, rows = content.value_table(_data(questionnaire))
    assert headers[:5] == ["Id", "Unterkriterium", "Wert", "Einstufung", "bewertet"]
    assert len(rows) == len(questionnaire.subcriteria) and rows[0][:4] == ["A1", rows[0][1], "3,0", "Stärke"]
    assert not any("Median" in h for h in headers)
    band_headers, band_rows = content.value_table(_data(questionnaire, comparison=_released(questionnaire)))
    assert band_headers[-3:] == ["Median", "mittlere 50\u00a0%", "n"]
    median, middle, n = band_rows[0][-3:]
    assert median == "3,0" and n == "4" and "–" in middle


def test_counts_behind_a_score_and_unscored_subcriteria(questionnaire):
    answers = _answers(questionnaire, "2")
    a1 = questionnaire.subcriterion("A1").statements
    answers.update({a1[0].id: "dk", a1[1].id: "na"})
    for st in questionnaire.subcriterion("B1").statements:
        answers[st.id] = "dk"
    _, rows = content.value_table(_data(questionnaire, answers))
    by_id = {r[0]: r for r in rows}
    assert by_id["A1"][4] == str(len(a1) - 2) and by_id["A1"][5] == "1 / 1 / 0"
    assert by_id["B1"][2:4] == ["–", "keine Bewertung"]


def test_change_table_only_from_round_two_with_earlier_measures_as_check_in(questionnaire):
    assert content.change_table(_data(questionnaire)) is None
    before = PreviousRound(1, score_analysis(questionnaire, _answers(questionnaire, "2")))
    measures = [_measure("Vorher-Nachher-Fragebogen", 1, status="umgesetzt"), _measure("Neu in Runde 2", 2)]
    headers, rows = content.change_table(_data(questionnaire, previous=before, measures=measures, round_no=2))
    assert headers[1:4] == ["Runde\u00a01", "Runde\u00a02", "Veränderung"]
    c2 = next(r for r in rows if r[0].startswith("C2"))
    assert c2[1:4] == ["2,0", "3,0", "+1,0"] and c2[4] == "Vorher-Nachher-Fragebogen (umgesetzt)"


def test_fit_widths_keeps_words_whole_and_fills_the_text_width():
    pdf = ReportPDF("x", "y")
    headers = ["Id", "Unterkriterium", "Einstufung", "bewertet"]
    rows = [["A1", "Pädagogisches Konzept und Umsetzung " * 3, "Entwicklungsfeld", "4"]]
    widths = pdf.fit_widths(headers, rows, flex=(1,))
    assert sum(widths) == pytest.approx(pdf.epw)
    pdf.set_font("DejaVu", "", 8.5)
    assert widths[2] > pdf.get_string_width("Entwicklungsfeld")
    assert widths[1] == max(widths)


def test_report_without_charts_is_a4_with_page_numbers_umlauts_and_a_note(questionnaire):
    notes = {"A1": NoteState("Bedarf – mit drei Schulen „abgestimmt“; Größe geprüft", True)}
    measures = [_measure("Gespräche mit Schulen führen", note="Termin im März")]
    raw = render(_data(questionnaire, notes=notes, measures=measures, team_size=3), Charts())
    reader, text = _text(raw)
    n = len(reader.pages)
    assert n >= 4
    assert all(
        round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in reader.pages
    )
    for expected in (
        PROJECT,
        "Schülerforschungszentrum Süd",
        "Bericht zur Selbstanalyse · Runde 1",
        "mintqo-standard-2026.1",
        "14.03.2026",
        "Angebotsqualität",
        "Ressourcenqualität",
        "Ergebnisqualität",
        "Räume, Ausstattung und Material",
        "Bedarf – mit drei Schulen „abgestimmt“; Größe geprüft",
        "Gespräche mit Schulen führen",
        "Frau Yılmaz",
        "3 Personen haben bewertet",
        f"Seite 1 von {n}",
        f"Seite {n} von {n}",
        "Die Grafiken konnten auf diesem Server nicht erzeugt werden",
    ):
        assert expected in text, expected
    assert "Workshopgruppe" not in text and "mittlere 50" not in text
    assert "Notizen zu den Maßnahmen" in text and "Termin im März" in text
    assert not any(page.images for page in reader.pages)
    assert reader.metadata.title == f"Selbstanalyse {PROJECT} – Runde 1"


def test_odd_and_long_user_texts_never_break_the_report(questionnaire):
    long_note = ("Sehr lange Begründung mit Belegen, Zitaten und Tabellen\tund Tabs. " * 80)[:4900]
    long_note += " https://example.org/" + "x" * 90
    notes = {s.id: NoteState(long_note + " 🚀", True) for s in questionnaire.subcriteria[:3]}
    measures = [_measure("W" * 300, note="N" * 2000), _measure("Wortlos" + "x" * 250)]
    measures += [_measure(f"Maßnahme {i} " + "lang " * 55, 1) for i in range(12)]
    before = PreviousRound(1, score_analysis(questionnaire, _answers(questionnaire, "2")))
    data = _data(questionnaire, notes=notes, measures=measures, previous=before, round_no=2)
    reader, text = _text(render(data, Charts()))
    assert "Seite 1 von" in text and len(reader.pages) > 5
    assert text.count("N" * 50) >= 30  # the 2,000-character measure note is printed in full below the table


def test_without_a_browser_there_are_no_images_and_no_error(questionnaire):
    assert not images.browser_available("/nonexistent/chromium")
    data = _data(questionnaire)
    assert images.png(figures.radar(data), "/nonexistent/chromium", width=100, height=100) is None
    assert figures.chart_images(data, "/nonexistent/chromium") == Charts()


def test_print_figures_show_band_and_previous_round_like_the_page(questionnaire):
    before = PreviousRound(1, score_analysis(questionnaire, _answers(questionnaire, "2")))
    data = _data(questionnaire, comparison=_released(questionnaire), previous=before, round_no=2)
    names = [t.name for t in figures.radar(data).data if t.name]
    assert "Workshopgruppe: Median" in names and "Runde 1" in names and "Ihr Projekt" in names
    assert figures.radar(data).layout.paper_bgcolor == "white"
    assert any("Workshopgruppe" in (t.name or "") for t in figures.criteria(data).data)
    plain = [t.name for t in figures.radar(_data(questionnaire)).data if t.name]
    assert not any("Median" in n for n in plain)


def test_text_the_font_cannot_show_becomes_a_box_and_tabs_become_spaces():
    pdf = ReportPDF("x", "y")
    pdf.set_font("DejaVu", "", 10)
    assert pdf.normalize_text("a\tb 🚀\r\nc\x07 „ß“ – 50\u00a0%") == "a b □\nc „ß“ – 50\u00a0%"
