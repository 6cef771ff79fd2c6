"""The PDF report in the order a board or funder reads it, with its title, profile and values sections."""

from __future__ import annotations

import io
from dataclasses import dataclass

from fpdf.enums import XPos, YPos
from fpdf.image_parsing import preload_image

from mintqo.report import content, table_rows
from mintqo.report import pdf_followup as followup
from mintqo.report.data import ReportData
from mintqo.report.page import ACCENT, BODY_PT, FONT, INK, MUTED, RULE, SMALL_PT, hex_rgb
from mintqo.report.table_layout import ReportPDF, Table


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
    meta = content.metadata(data)
    pdf.set_title(meta["title"])
    pdf.set_subject(meta["subject"])
    pdf.set_author(meta["author"])
    pdf.set_keywords(meta["keywords"])
    pdf.set_creation_date(data.created.astimezone())
    for image in (charts.radar, charts.criteria):  # parsed once here, not again in every dry run
        if image is not None:
            preload_image(pdf.image_cache, io.BytesIO(image))
    _title_page(pdf, data)
    about_shown = _about_at_foot(pdf, data)
    profile_page = pdf.page + 1
    _profile(pdf, data, charts)
    # After a full page of charts the lists start a new page; if the main criteria already moved on to
    # the next page (or there are no charts), they follow on the same page.
    followup.strengths(pdf, data, new_page=pdf.page == profile_page and _draws_charts(data, charts))
    _values(pdf, data)
    followup.notes(pdf, data)
    followup.open_points(pdf, data)
    followup.measures(pdf, data)
    followup.changes(pdf, data)
    if not about_shown:  # a long title page: the note closes the report instead
        about = content.about(data)
        pdf.heading("Über diesen Bericht", keep_with=pdf.caption_height(about))
        pdf.caption(about)
    return bytes(pdf.output())


def _draws_charts(data: ReportData, charts: Charts) -> bool:
    """Charts are drawn only when there are images and at least one value to show."""
    return charts.radar is not None and content.has_scores(data)


def _title_page(pdf: ReportPDF, data: ReportData) -> None:
    """Title, key facts, the summary and the scores, and at the foot what the report rests on."""
    pdf.add_page()
    pdf.set_y(18)
    pdf.set_font(FONT, "B", 26)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 12, "mintqo", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 6, "Qualitäts-Selbstanalyse für außerschulische MINT-Initiativen")
    pdf.ln(8)
    pdf.rule(pdf.get_y(), ACCENT)
    pdf.ln(8)
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


def _about_at_foot(pdf: ReportPDF, data: ReportData) -> bool:
    """The note on what the report rests on, at the foot of the title page if it fits there."""
    about = content.about(data)
    height = 7 + pdf.caption_height(about) + 4
    if pdf.will_page_break(height + 6):
        return False
    pdf.set_y(pdf.page_break_trigger - height)
    pdf.rule(pdf.get_y())
    pdf.ln(2)
    pdf.set_font(FONT, "B", SMALL_PT + 1)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, "Über diesen Bericht", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.caption(about)
    return True


def _tiles(pdf: ReportPDF, data: ReportData) -> None:
    """One box per main criterion: its score large, in its band colour."""
    tiles = content.criterion_tiles(data)
    if not tiles:
        return
    gap, h = 5.0, 30.0
    w = (pdf.epw - gap * (len(tiles) - 1)) / len(tiles)
    caption = content.tiles_caption(data)
    pdf.keep(h + 3 + pdf.caption_height(caption))
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
    pdf.caption(caption)


def _profile(pdf: ReportPDF, data: ReportData, charts: Charts) -> None:
    pdf.add_page()
    pdf.heading("Profil über alle Unterkriterien")
    scored = content.has_scores(data)
    if not scored:  # an empty radar and empty bars would only pretend a picture
        pdf.note_box(content.no_scores_text(data))
    elif charts.radar is not None:
        radar = charts.radar

        def radar_block() -> None:
            pdf.png(radar, width=135)
            pdf.caption(content.radar_caption(data))

        pdf.together(radar_block)
    else:
        pdf.note_box(content.NO_CHARTS)
    if (unscored := content.unscored_caption(data)) is not None:
        pdf.caption(unscored)
    headers, rows = table_rows.criteria_table(data)
    bars = charts.criteria if scored else None

    def intro() -> None:  # heading, bars and the three rows stay on one page
        pdf.heading("Hauptkriterien", keep_with=0)
        if bars is not None:
            pdf.png(bars, width=135)

    pdf.data_table(Table(headers, rows, "LCLCCCC"[: len(headers)], flex=(0,), group=_group(data)), intro)


def _group(data: ReportData) -> tuple[str, int] | None:
    """The spanning header over the comparison's columns."""
    return (data.band_name, len(table_rows.band_headers(data))) if data.band is not None else None


def _values(pdf: ReportPDF, data: ReportData) -> None:
    headers, rows = table_rows.value_table(data)
    aligns = "LLCLCCCCC"[: len(headers)]
    pdf.data_table(
        Table(headers, rows, aligns, group=_group(data)), lambda: pdf.heading("Alle Werte", keep_with=0)
    )
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
