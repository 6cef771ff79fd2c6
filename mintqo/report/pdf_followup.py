"""The PDF report's follow-up sections: strengths, starting points, notes, open points, measures, changes."""

from __future__ import annotations

from collections import Counter

from fpdf.enums import XPos, YPos

from mintqo.domain.measures import STATUSES
from mintqo.domain.scoring import Band, SubScore, format_score
from mintqo.report import content, table_rows
from mintqo.report.data import ReportData
from mintqo.report.page import BODY_PT, FONT, LINE
from mintqo.report.table_layout import ReportPDF, Table

DEVELOPMENT = Band.DEVELOPMENT.color


def _scored_text(s: SubScore, *, with_band: bool) -> str:
    return s.subcriterion.label + (f"  ·  {s.band.value}" if with_band and s.band else "")


CHIP_W = 16  # mm: the score chip and the gap after it


def _scored_height(pdf: ReportPDF, s: SubScore, *, with_band: bool) -> float:
    return pdf.text_height(_scored_text(s, with_band=with_band), w=pdf.epw - CHIP_W, h=5.2) + 1.6


def _scored_list(pdf: ReportPDF, title: str, items: list[SubScore], empty: str, *, with_band: bool) -> None:
    """A subheading kept with its first item (or the line saying there is none), then the items."""
    first = _scored_height(pdf, items[0], with_band=with_band) if items else pdf.caption_height(empty)
    pdf.subheading(title, keep_with=first)
    if not items:
        pdf.caption(empty)
        return
    for s in items:
        pdf.keep_text(_scored_height(pdf, s, with_band=with_band))
        pdf.set_x(pdf.l_margin)
        pdf.chip(format_score(s.mean), s.band.color if s.band else None)
        text = _scored_text(s, with_band=with_band)
        pdf.multi_cell(pdf.epw - CHIP_W, 5.2, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.6)


def strengths(pdf: ReportPDF, data: ReportData, *, new_page: bool) -> None:
    if new_page:  # after the full page of charts; without them the lists follow on the same page
        pdf.add_page()
    if not content.has_scores(data):  # "no strength yet" would read like a verdict on nothing
        pdf.heading("Stärken und Ansatzpunkte", keep_with=pdf.caption_height(content.NO_STRENGTHS))
        pdf.caption(content.NO_STRENGTHS)
        return
    pdf.heading("Stärken und Ansatzpunkte", keep_with=20)
    strengths, areas = data.results.strengths(), data.results.development_areas()
    _scored_list(pdf, "Stärken (ab 3,3)", strengths, "Noch keine Stärke (ab 3,3).", with_band=False)
    if data.results.solid():
        _scored_list(pdf, "Solide (3,0–3,2)", data.results.solid(), "", with_band=False)
    _scored_list(
        pdf,
        "Ansatzpunkte: Entwicklungsfeld (unter 2,0) und ausbaufähig (2,0–2,9)",
        areas,
        "Kein bewertetes Unterkriterium unter 3,0.",
        with_band=True,
    )
    pdf.caption(
        "Reihenfolge: Stärken vom höchsten Wert an, Solides in der Reihenfolge des Fragebogens, "
        "Ansatzpunkte vom niedrigsten Wert an."
    )


NO_NOTES = "Kein Handlungsbedarf markiert und keine Notizen geschrieben."


def _note_height(pdf: ReportPDF, item: content.NoteItem) -> float:
    """The height of one flagged or noted sub-criterion: its label and its note."""
    label_w = pdf.epw - (32.5 if item.action_needed else 0)
    height = pdf.text_height(item.label, w=label_w, h=5.2, style="B") + 2.5
    if item.note:
        height += 0.6 + pdf.text_height(item.note)
    return height


def notes(pdf: ReportPDF, data: ReportData) -> None:
    items = content.note_items(data)
    first = _note_height(pdf, items[0]) if items else pdf.caption_height(NO_NOTES)
    pdf.heading("Handlungsbedarf und Notizen", keep_with=min(first, 40))
    if not items:
        pdf.caption(NO_NOTES)
    for item in items:
        pdf.keep_text(_note_height(pdf, item))
        pdf.set_x(pdf.l_margin)
        if item.action_needed:
            pdf.chip("Handlungsbedarf", DEVELOPMENT, w=30)
        pdf.set_font(FONT, "B", BODY_PT)
        pdf.multi_cell(0, 5.2, item.label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", BODY_PT)
        if item.note:
            pdf.ln(0.6)
            pdf.paragraph(item.note)
        pdf.ln(2.5)


def open_points(pdf: ReportPDF, data: ReportData) -> None:
    title = "Offene Punkte („weiß nicht“)"
    headers, rows = table_rows.open_point_table(data)
    if not rows:
        pdf.heading(title, keep_with=8)
        pdf.caption("Keine offenen Punkte.")
        return

    def intro() -> None:  # in the table font, like the report's other lists of answers and measures
        pdf.heading(title, keep_with=0)
        pdf.caption("Aussagen, die das Team noch klären will:")
        pdf.ln(1)

    pdf.data_table(Table(headers, rows, "LL", flex=(1,)), intro)


def _measure_note_height(pdf: ReportPDF, what: str, note: str) -> float:
    return pdf.text_height(what, style="B") + pdf.text_height(note) + 2


def measures(pdf: ReportPDF, data: ReportData) -> None:
    headers, rows = table_rows.measure_table(data)
    if not rows:
        pdf.heading("Maßnahmen", keep_with=8)
        pdf.caption("Noch keine Maßnahmen geplant.")
        return
    counts = Counter(m.status for m in data.measures)
    what = "1 Maßnahme" if len(rows) == 1 else f"{len(rows)} Maßnahmen"
    summary = f"{what}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s]) + "."

    def intro() -> None:
        pdf.heading("Maßnahmen", keep_with=0)
        pdf.paragraph(summary)
        pdf.ln(2)

    pdf.data_table(Table(headers, rows, "LLLCCC", flex=(0, 1)), intro)
    notes = content.measure_notes(data)
    if notes:
        pdf.subheading("Notizen zu den Maßnahmen", keep_with=min(_measure_note_height(pdf, *notes[0]), 40))
        for what, note in notes:
            pdf.keep_text(_measure_note_height(pdf, what, note))
            pdf.set_font(FONT, "B", BODY_PT)
            pdf.multi_cell(pdf.epw, LINE, what, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.paragraph(note)
            pdf.ln(2)


def changes(pdf: ReportPDF, data: ReportData) -> None:
    table = table_rows.change_table(data)
    if table is None or data.previous is None:
        return
    headers, rows = table
    previous = data.previous.round

    def intro() -> None:
        pdf.heading(f"Veränderung seit Runde {previous}", keep_with=0)
        pdf.caption(
            "Veränderung der gerundeten Werte. Unterkriterien, die es nur in einer der beiden "
            "Fragebogen-Ausgaben gibt, stehen als „nicht in beiden Runden“ da – nie als Absturz auf null. "
            "Rechts die Maßnahmen früherer Runden mit ihrem Stand."
        )
        pdf.ln(1)

    pdf.data_table(Table(headers, rows, "LCCCL", flex=(4,)), intro)  # labels on one line where they fit
