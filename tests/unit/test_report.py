"""PDF report without a database: texts and rows, column widths, and a rendered PDF without charts."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from PIL import Image
from pypdf import PdfReader

from mintqo.config import DEFAULT_BROWSER_PATH, Settings
from mintqo.domain.anonymity import picture, too_few
from mintqo.domain.histograms import contribution, histograms_of
from mintqo.domain.scoring import score_analysis
from mintqo.report import Charts, ReportData, content, figures, images, render, table_rows
from mintqo.report.data import PreviousRound
from mintqo.report.page import TABLE_PT
from mintqo.report.table_layout import ReportPDF, Table
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.services.group_comparisons import GROUP, Comparison
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


def _released(q, values: tuple[str, ...] = ("2", "3", "3", "4", "3")) -> Comparison:
    """A released picture with k = 3 of one analysis per value (five reach the gate of 2k − 1)."""
    hists = histograms_of(contribution(q, _answers(q, v)) for v in values)
    label = "Workshopgruppe „Süd“ · Freigabe vom 01.03.2026"
    return Comparison(GROUP, label, picture(q, label, hists, len(values), 3), hists, None)


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
        "Workshopgruppe „Süd“ · Freigabe vom 01.03.2026 (n = 5 Analysen)"
    )
    withheld = Comparison(GROUP, "Workshopgruppe „Süd“", None, {}, too_few(2, 3))
    text = content.comparison_text(_data(questionnaire, comparison=withheld))
    assert text.startswith("Kein Gruppenvergleich") and "2 von mindestens 5" in text
    assert content.comparison_text(_data(questionnaire)).startswith("Kein Gruppenvergleich")


def test_value_table_has_the_band_columns_only_with_a_released_picture(questionnaire):
    headers, rows = table_rows.value_table(_data(questionnaire))
    assert headers[:5] == ["Id", "Unterkriterium", "Wert", "Einstufung", "bewertet"]
    assert len(rows) == len(questionnaire.subcriteria) and rows[0][:4] == ["A1", rows[0][1], "3,0", "solide"]
    assert not any("Median" in h for h in headers)
    band_headers, band_rows = table_rows.value_table(
        _data(questionnaire, comparison=_released(questionnaire))
    )
    assert band_headers[-3:] == ["Median", "mittlere 50\u00a0%", "n"]
    median, middle, n = band_rows[0][-3:]
    assert median == "3,0" and n == "5" and "–" in middle


def test_value_table_says_too_few_without_the_small_count_below_the_gate(questionnaire):
    # Five analyses, but only four rate A1 (the fifth answers "nicht zutreffend" there).
    answer_sets = [_answers(questionnaire, v) for v in ("2", "3", "3", "4", "3")]
    for st in questionnaire.subcriterion("A1").statements:
        answer_sets[-1][st.id] = "na"
    hists = histograms_of(contribution(questionnaire, a) for a in answer_sets)
    label = "Workshopgruppe „Süd“"
    comparison = Comparison(GROUP, label, picture(questionnaire, label, hists, 5, 3), hists, None)
    _, rows = table_rows.value_table(_data(questionnaire, comparison=comparison))
    by_id = {r[0]: r for r in rows}
    assert by_id["A1"][-3] == "zu wenige" and "4" not in by_id["A1"][-2:]
    assert by_id["A2"][-3:-1] == ["3,0", "3,0–3,0"] and by_id["A2"][-1] == "5"


def test_counts_behind_a_score_and_unscored_subcriteria(questionnaire):
    answers = _answers(questionnaire, "2")
    a1 = questionnaire.subcriterion("A1").statements
    answers.update({a1[0].id: "dk", a1[1].id: "na"})
    for st in questionnaire.subcriterion("B1").statements:
        answers[st.id] = "dk"
    _, rows = table_rows.value_table(_data(questionnaire, answers))
    by_id = {r[0]: r for r in rows}
    assert by_id["A1"][4] == str(len(a1) - 2) and by_id["A1"][5] == "1 / 1 / 0"
    assert by_id["B1"][2:4] == ["–", "keine Bewertung"]


def test_change_table_only_from_round_two_with_earlier_measures_as_check_in(questionnaire):
    assert table_rows.change_table(_data(questionnaire)) is None
    before = PreviousRound(1, score_analysis(questionnaire, _answers(questionnaire, "2")))
    measures = [_measure("Vorher-Nachher-Fragebogen", 1, status="umgesetzt"), _measure("Neu in Runde 2", 2)]
    headers, rows = table_rows.change_table(
        _data(questionnaire, previous=before, measures=measures, round_no=2)
    )
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
    assert reader.metadata.title == f"Bericht zur Selbstanalyse – {PROJECT} (Runde 1)"


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


CRITERIA = ("A Angebotsqualität", "B Ressourcenqualität", "C Ergebnisqualität")


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 220, 240)).save(out, "PNG")
    return out.getvalue()


# Same proportions as the browser's images (720 × 600 and 720 × 240 CSS pixels).
FAKE_CHARTS = Charts(_png(1800, 1500), _png(1800, 600))


def _pages(raw: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(raw)).pages]


def _few(q, *values: str) -> dict[str, str]:
    """The first statements of the first sub-criteria answered with `values`, one each."""
    return {sub.statements[0].id: v for sub, v in zip(q.subcriteria, values, strict=False)}


@pytest.mark.parametrize(
    "answers",
    [("3", "2"), ("4",), ("2", "na", "dk"), ("dk",) * 15, ("3",) * 15],
    ids=["two-answers", "one-answer", "mixed", "dont-know-only", "all-rated"],
)
@pytest.mark.parametrize("band", [False, True], ids=["alone", "band"])
def test_main_criteria_heading_and_rows_stay_on_one_page(questionnaire, answers, band):
    comparison = _released(questionnaire) if band else None
    data = _data(questionnaire, _few(questionnaire, *answers), comparison=comparison)
    pages = _pages(render(data, FAKE_CHARTS))
    holding = [i for i, page in enumerate(pages[1:], 1) if any(c in page for c in CRITERIA)]
    assert len(holding) == 1, holding  # the title page's tiles aside, one page has the heading and all rows
    assert "Hauptkriterien" in pages[holding[0]]
    assert all(c in pages[holding[0]] for c in CRITERIA)


def test_a_small_table_moves_to_the_next_page_whole_and_a_long_one_flows_on():
    pdf = ReportPDF("x", "y")
    pdf.add_page()
    pdf.set_y(pdf.page_break_trigger - 20)  # room for the header and about one row
    pdf.data_table(Table(["Kriterium", "Wert"], [[f"Zeile {i}", "3,0"] for i in range(3)], "LC"))
    assert pdf.page == 2
    pdf.set_y(pdf.page_break_trigger - 40)
    pdf.data_table(Table(["Kriterium", "Wert"], [[f"Lang {i}", "3,0"] for i in range(40)], "LC"))
    pages = _pages(bytes(pdf.output()))
    assert "Zeile 0" not in pages[0] and all(f"Zeile {i}" in pages[1] for i in range(3))
    assert "Lang 0" in pages[1] and "Lang 39" in pages[-1]  # started where its first rows fit


@pytest.mark.parametrize("n", range(30, 42))
def test_a_long_table_never_leaves_a_page_with_fewer_than_three_of_its_rows(n):
    pdf = ReportPDF("x", "y")
    pdf.add_page()
    pdf.data_table(Table(["Kriterium", "Wert"], [[f"Zeile {i:02d}", "3,0"] for i in range(n)], "LC"))
    pages = _pages(bytes(pdf.output()))
    per_page = [page.count("Zeile ") for page in pages]
    assert sum(per_page) == n and min(per_page) >= 3, per_page  # no lonely last row on its own page
    assert all(f"Zeile {i:02d}" in " ".join(pages) for i in range(n))


def test_together_moves_a_block_that_fits_on_a_page_and_leaves_a_longer_one():
    pdf = ReportPDF("x", "y")
    pdf.add_page()
    pdf.set_y(pdf.page_break_trigger - 15)

    def block(lines: int) -> None:
        pdf.heading("Abschnitt")
        for i in range(lines):
            pdf.paragraph(f"Zeile {i}")

    assert pdf.measure(lambda: block(5)) > 15 and pdf.page == 1  # a dry run leaves nothing behind
    pdf.together(lambda: block(5))
    assert pdf.page == 2
    pdf.add_page()
    pdf.together(lambda: block(80))  # longer than a page: no empty page in front of it
    assert pdf.page > 3 and _pages(bytes(pdf.output()))[2].startswith("mintqo")


def _sizes(raw: bytes, *needles: str) -> dict[str, set[float]]:
    """The font sizes (pt) text fragments containing each needle are printed in."""
    found: dict[str, set[float]] = {n: set() for n in needles}
    for page in PdfReader(io.BytesIO(raw)).pages:

        def visit(text, cm, tm, font, size):
            for n in needles:
                if n in text:
                    found[n].add(round(size * tm[0], 1))

        page.extract_text(visitor_text=visit)
    return found


def test_open_points_are_printed_in_the_table_font_like_the_other_lists(questionnaire):
    statements = list(questionnaire.statements())
    answers = {**_answers(questionnaire, "3"), statements[0].id: "dk", statements[1].id: "dk"}
    raw = render(_data(questionnaire, answers, measures=[_measure("Gespräche mit Schulen")]), Charts())
    sizes = _sizes(
        raw, statements[0].text[:30], statements[1].text[:30], "Gespräche mit Schulen", "Zielgruppen"
    )
    assert sizes[statements[0].text[:30]] == sizes[statements[1].text[:30]] == {TABLE_PT}
    assert sizes["Gespräche mit Schulen"] == {TABLE_PT}  # the measures table


def test_pdf_metadata_are_clean_single_lines(questionnaire):
    data = _data(questionnaire)
    info = replace(
        data.info, initiative="Demo:  Schülerforschungszentrum\nMusterstadt", project="Forscherclub\tRobotik"
    )
    reader = PdfReader(io.BytesIO(render(replace(data, info=info), Charts())))
    meta = reader.metadata
    assert meta.title == "Bericht zur Selbstanalyse – Forscherclub Robotik (Runde 1)"
    assert meta.subject == f"Demo: Schülerforschungszentrum Musterstadt · {questionnaire.title}"
    assert meta.author == "Demo: Schülerforschungszentrum Musterstadt"
    assert meta.creator == "mintqo"
    assert "Selbstanalyse" in meta["/Keywords"] and "Runde 1" in meta["/Keywords"]
    assert questionnaire.short_title in meta["/Keywords"]
    assert content.metadata(data)["subject"].count(":") == 0


@pytest.mark.parametrize("value", ["dk", "na", None], ids=["dont-know", "not-applicable", "nothing"])
def test_without_any_rating_the_report_draws_no_chart_and_names_no_strength(
    questionnaire, monkeypatch, value
):
    answers = {} if value is None else _answers(questionnaire, value)
    data = _data(questionnaire, answers)
    assert not content.has_scores(data)
    monkeypatch.setattr(images, "png", lambda *a, **k: pytest.fail("no chart without a rating"))
    assert figures.chart_images(data, DEFAULT_BROWSER_PATH) == Charts()
    raw = render(data, FAKE_CHARTS)  # even with images at hand, empty charts are not drawn
    reader, text = _text(raw)
    assert not any(page.images for page in reader.pages)
    for misleading in (
        "Noch keine Stärke",
        "Keine Werte unter 3,0",
        "Noch kein Unterkriterium erreicht",
        "Die Grafiken konnten",
        "Mittelwerte der bewerteten",
        "Ohne Bewertung (nur",
    ):
        assert misleading not in text, misleading
    assert "Deshalb zeigt der Bericht kein Profil, keine Balken" in text
    assert "Ohne Bewertungen 1–4 gibt es noch keine Stärken und keine Ansatzpunkte." in text
    glance = content.at_a_glance(data)
    assert "keine Werte" in glance[0]
    if value == "dk":
        assert "60 Aussagen sind mit „weiß nicht“ markiert" in " ".join(glance) and "Offene Punkte" in text
    if value == "na":
        assert "als „nicht zutreffend“ markiert" in " ".join(glance)


def test_a_partly_rated_analysis_keeps_its_charts_and_lists_the_unrated(questionnaire):
    data = _data(questionnaire, _few(questionnaire, "3", "2"))
    reader, text = _text(render(data, FAKE_CHARTS))
    assert len(reader.pages[1].images) == 2
    assert "Ohne Bewertung (nur" in text and "Stärken (ab 3,3)" in text and "Solide (3,0–3,2)" in text
