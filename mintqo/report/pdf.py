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
    meta = content.metadata(data)
    pdf.set_title(meta["title"])
    pdf.set_subject(meta["subject"])
    pdf.set_author(meta["author"])
    pdf.set_keywords(meta["keywords"])
    pdf.set_creation_date(data.created.astimezone())
    _title_page(pdf, data)
    profile_page = pdf.page + 1
    _profile(pdf, data, charts)
    # After a full page of charts the lists start a new page; if the main criteria already moved on to
    # the next page (or there are no charts), they follow on the same page.
    _strengths(pdf, data, new_page=pdf.page == profile_page and _draws_charts(data, charts))
    _values(pdf, data)
    _notes(pdf, data)
    _open_points(pdf, data)
    _measures(pdf, data)
    _changes(pdf, data)
    about = content.about(data)
    pdf.heading("Über diesen Bericht", keep_with=pdf.caption_height(about))
    pdf.caption(about)
    return bytes(pdf.output())


def _draws_charts(data: ReportData, charts: Charts) -> bool:
    """Charts are drawn only when there are images and at least one value to show."""
    return charts.radar is not None and content.has_scores(data)


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
    headers, rows = content.criteria_table(data)
    bars = charts.criteria if scored else None

    def intro() -> None:  # heading, bars and the three rows stay on one page
        pdf.heading("Hauptkriterien", keep_with=0)
        if bars is not None:
            pdf.png(bars, width=135)

    pdf.table_section(intro, headers, rows, "LCLCCCC"[: len(headers)], flex=(0,), group=_group(data))


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


def _strengths(pdf: ReportPDF, data: ReportData, *, new_page: bool) -> None:
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


def _group(data: ReportData) -> tuple[str, int] | None:
    """The spanning header over the comparison's columns."""
    return (data.band_name, len(content.band_headers(data))) if data.band is not None else None


def _values(pdf: ReportPDF, data: ReportData) -> None:
    headers, rows = content.value_table(data)
    aligns = "LLCLCCCCC"[: len(headers)]
    pdf.table_section(
        lambda: pdf.heading("Alle Werte", keep_with=0), headers, rows, aligns, group=_group(data)
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


NO_NOTES = "Kein Handlungsbedarf markiert und keine Notizen geschrieben."


def _note_height(pdf: ReportPDF, item: content.NoteItem) -> float:
    """The height of one flagged or noted sub-criterion: its label and its note."""
    label_w = pdf.epw - (32.5 if item.action_needed else 0)
    height = pdf.text_height(item.label, w=label_w, h=5.2, style="B") + 2.5
    if item.note:
        height += 0.6 + pdf.text_height(item.note)
    return height


def _notes(pdf: ReportPDF, data: ReportData) -> None:
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


def _open_points(pdf: ReportPDF, data: ReportData) -> None:
    title = "Offene Punkte („weiß nicht“)"
    headers, rows = content.open_point_table(data)
    if not rows:
        pdf.heading(title, keep_with=8)
        pdf.caption("Keine offenen Punkte.")
        return

    def intro() -> None:  # in the table font, like the report's other lists of answers and measures
        pdf.heading(title, keep_with=0)
        pdf.caption("Aussagen, die das Team noch klären will:")
        pdf.ln(1)

    pdf.table_section(intro, headers, rows, "LL", flex=(1,))


def _measure_note_height(pdf: ReportPDF, what: str, note: str) -> float:
    return pdf.text_height(what, style="B") + pdf.text_height(note) + 2


def _measures(pdf: ReportPDF, data: ReportData) -> None:
    headers, rows = content.measure_table(data)
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

    pdf.table_section(intro, headers, rows, "LLLCCC", flex=(0, 1))
    notes = content.measure_notes(data)
    if notes:
        pdf.subheading("Notizen zu den Maßnahmen", keep_with=min(_measure_note_height(pdf, *notes[0]), 40))
        for what, note in notes:
            pdf.keep_text(_measure_note_height(pdf, what, note))
            pdf.set_font(FONT, "B", BODY_PT)
            pdf.multi_cell(pdf.epw, LINE, what, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.paragraph(note)
            pdf.ln(2)


def _changes(pdf: ReportPDF, data: ReportData) -> None:
    table = content.change_table(data)
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

    pdf.table_section(intro, headers, rows, "LCCCL", flex=(0, 4))
