"""The PDF report's sections, in the order a board or funder reads them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fpdf.enums import XPos, YPos

from mintqo.domain.measures import STATUSES
from mintqo.domain.scoring import Band, SubScore, format_score
from mintqo.report import content
from mintqo.report.data import ReportData
from mintqo.report.layout import ACCENT, BODY_PT, FONT, INK, LINE, MUTED, RULE, ReportPDF, hex_rgb

STRENGTH, DEVELOPMENT = Band.STRENGTH.color, Band.DEVELOPMENT.color


@dataclass(frozen=True)
class Charts:
    """PNG images of the radar and the main-criteria bars; None where no image could be made."""

    radar: bytes | None = None
    criteria: bytes | None = None


def render(data: ReportData, charts: Charts) -> bytes:
    """The whole report as PDF bytes."""
    info = data.info
    pdf = ReportPDF(
        running_title=f"{info.project} · Runde {info.round}",
        footer_note=f"mintqo · Bericht vom {data.created:%d.%m.%Y}",
    )
    pdf.set_title(f"Selbstanalyse {info.project} – Runde {info.round}")
    pdf.set_subject(f"{info.initiative}: {data.q.title}")
    pdf.set_creation_date(data.created.astimezone())
    _title_page(pdf, data)
    _profile(pdf, data, charts)
    _strengths(pdf, data, new_page=charts.radar is not None)
    _values(pdf, data)
    _notes(pdf, data)
    _open_points(pdf, data)
    _measures(pdf, data)
    _changes(pdf, data)
    pdf.heading("Über diesen Bericht", keep_with=15)
    pdf.caption(content.about(data))
    return bytes(pdf.output())


def _title_page(pdf: ReportPDF, data: ReportData) -> None:
    pdf.add_page()
    pdf.set_y(24)
    pdf.set_font(FONT, "B", 26)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 12, "mintqo", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, "Qualitäts-Selbstanalyse für außerschulische MINT-Initiativen")
    pdf.ln(9)
    pdf.rule(pdf.get_y(), ACCENT)
    pdf.ln(12)
    pdf.set_font(FONT, "", 11)
    kicker = f"Bericht zur Selbstanalyse · Runde {data.info.round}"
    pdf.cell(0, 6, kicker, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(pdf.epw, 10, data.info.project, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 13)
    pdf.multi_cell(pdf.epw, 7, data.info.initiative, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(9)
    pdf.facts(content.facts(data))
    pdf.ln(4)
    pdf.subheading("Auf einen Blick")
    pdf.bullets(content.at_a_glance(data))
    pdf.ln(4)
    _tiles(pdf, data)


def _tiles(pdf: ReportPDF, data: ReportData) -> None:
    """One box per main criterion: its score large, in its band colour."""
    tiles = content.criterion_tiles(data)
    if not tiles:
        return
    gap, h = 5.0, 30.0
    w = (pdf.epw - gap * (len(tiles) - 1)) / len(tiles)
    pdf.keep(h + 2)
    y = pdf.get_y()
    for i, (title, score, band) in enumerate(tiles):
        x = pdf.l_margin + i * (w + gap)
        color = hex_rgb(band.color) if band else (170, 170, 170)
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.rect(x, y, w, h)
        pdf.set_fill_color(*color)
        pdf.rect(x, y, 2.2, h, style="F")
        pdf.set_xy(x + 5, y + 3)
        pdf.set_font(FONT, "", 8.5)
        pdf.set_text_color(*MUTED)
        pdf.cell(w - 7, 4.5, title)
        pdf.set_xy(x + 5, y + 9)
        pdf.set_font(FONT, "B", 20)
        pdf.set_text_color(*color)
        pdf.cell(w - 7, 10, score if band else "–")
        pdf.set_xy(x + 5, y + 21)
        pdf.set_font(FONT, "", 9)
        pdf.set_text_color(*INK)
        pdf.cell(w - 7, 4.5, band.value if band else "keine Bewertung")
    pdf.set_font(FONT, "", BODY_PT)
    pdf.set_xy(pdf.l_margin, y + h + 3)
    pdf.caption("Mittelwerte der bewerteten Unterkriterien auf der Skala 1–4.")


def _profile(pdf: ReportPDF, data: ReportData, charts: Charts) -> None:
    pdf.add_page()
    pdf.heading("Profil über alle Unterkriterien")
    if charts.radar is not None:
        pdf.png(charts.radar, width=135)
        pdf.caption(content.radar_caption(data))
    else:
        pdf.note_box(content.NO_CHARTS)
    unscored = data.results.unscored()
    if unscored:
        pdf.caption(
            "Ohne Bewertung (nur „nicht zutreffend“, „weiß nicht“ oder offen): "
            + ", ".join(s.subcriterion.label for s in unscored)
        )
    pdf.heading("Hauptkriterien", keep_with=45)
    if charts.criteria is not None:
        pdf.png(charts.criteria, width=135)
    headers, rows = content.criteria_table(data)
    pdf.data_table(headers, rows, "LCLCCCC"[: len(headers)], flex=(0,), group=_group(data))


def _scored_list(pdf: ReportPDF, items: list[SubScore], empty: str, *, with_band: bool) -> None:
    if not items:
        pdf.caption(empty)
        return
    for s in items:
        pdf.keep(7)
        pdf.set_x(pdf.l_margin)
        pdf.chip(format_score(s.mean), s.band.color if s.band else None)
        text = s.subcriterion.label + (f"  ·  {s.band.value}" if with_band and s.band else "")
        pdf.multi_cell(pdf.epw - 16, 5.2, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.6)


def _strengths(pdf: ReportPDF, data: ReportData, *, new_page: bool) -> None:
    if new_page:  # after the full page of charts; without them the lists follow on the same page
        pdf.add_page()
    pdf.heading("Stärken und Entwicklungsfelder")
    pdf.subheading("Stärken (ab 3,0)")
    _scored_list(pdf, data.results.strengths(), "Noch keine Stärke (ab 3,0).", with_band=False)
    pdf.subheading("Entwicklungsfelder (unter 3,0)")
    _scored_list(pdf, data.results.development_areas(), "Keine Werte unter 3,0.", with_band=True)
    pdf.caption("Reihenfolge: Stärken vom höchsten Wert an, Entwicklungsfelder vom niedrigsten Wert an.")


def _group(data: ReportData) -> tuple[str, int] | None:
    """The spanning header over the comparison's columns."""
    return (data.band_name, len(content.band_headers(data))) if data.band is not None else None


def _values(pdf: ReportPDF, data: ReportData) -> None:
    headers, rows = content.value_table(data)
    pdf.heading("Alle Werte", keep_with=60)
    pdf.data_table(headers, rows, "LLCLCCCCC"[: len(headers)], flex=(1,), group=_group(data))
    legend = (
        "Wert: Mittelwert der Bewertungen 1–4. bewertet: Zahl der Aussagen mit einer Bewertung 1–4, "
        "auf denen der Wert beruht. n. z. / w. n. / offen: Zahl der Aussagen mit „nicht zutreffend“, "
        "„weiß nicht“ und ohne Antwort – sie zählen nie als null."
    )
    if data.band is not None and data.comparison is not None:
        legend += (
            f" Median, mittlere 50 % und n: {data.comparison.label}; n ist die Zahl der Analysen mit einem "
            "Wert. Einzelne Antworten anderer Projekte sind nie enthalten."
        )
    pdf.caption(legend)
    if (rule := content.team_rule(data)) is not None:
        pdf.caption(f"{data.info.team_size} Personen haben bewertet. {rule}")


def _notes(pdf: ReportPDF, data: ReportData) -> None:
    pdf.heading("Handlungsbedarf und Notizen", keep_with=20)
    items = content.note_items(data)
    if not items:
        pdf.caption("Kein Handlungsbedarf markiert und keine Notizen geschrieben.")
    for item in items:
        pdf.keep(14)
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


def _open_points(pdf: ReportPDF, data: ReportData) -> None:
    pdf.heading("Offene Punkte („weiß nicht“)", keep_with=15)
    points = content.open_point_items(data)
    if not points:
        pdf.caption("Keine offenen Punkte.")
        return
    pdf.caption("Aussagen, die das Team noch klären will:")
    for statement_id, text in points:
        pdf.keep(LINE * 2)
        pdf.set_x(pdf.l_margin)
        pdf.set_font(FONT, "B", BODY_PT)
        pdf.cell(14, LINE, statement_id)
        pdf.set_font(FONT, "", BODY_PT)
        pdf.multi_cell(pdf.epw - 14, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)


def _measures(pdf: ReportPDF, data: ReportData) -> None:
    headers, rows = content.measure_table(data)
    pdf.heading("Maßnahmen", keep_with=30)
    if not rows:
        pdf.caption("Noch keine Maßnahmen geplant.")
        return
    counts = Counter(m.status for m in data.measures)
    what = "1 Maßnahme" if len(rows) == 1 else f"{len(rows)} Maßnahmen"
    pdf.paragraph(f"{what}: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s]) + ".")
    pdf.ln(2)
    pdf.data_table(headers, rows, "LLLCCC", flex=(0, 1))
    notes = content.measure_notes(data)
    if notes:
        pdf.subheading("Notizen zu den Maßnahmen", keep_with=12)
        for what, note in notes:
            pdf.keep(LINE * 3)
            pdf.set_font(FONT, "B", BODY_PT)
            pdf.multi_cell(pdf.epw, LINE, what, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.paragraph(note)
            pdf.ln(2)


def _changes(pdf: ReportPDF, data: ReportData) -> None:
    table = content.change_table(data)
    if table is None or data.previous is None:
        return
    headers, rows = table
    pdf.heading(f"Veränderung seit Runde {data.previous.round}", keep_with=50)
    pdf.caption(
        "Veränderung der gerundeten Werte. Unterkriterien, die es nur in einer der beiden "
        "Fragebogen-Ausgaben gibt, stehen als „nicht in beiden Runden“ da – nie als Absturz auf null. "
        "Rechts die Maßnahmen früherer Runden mit ihrem Stand."
    )
    pdf.ln(1)
    pdf.data_table(headers, rows, "LCCCL", flex=(0, 4))
