"""The results page's plotly figures, styled for print (white paper, the report's font)."""

from __future__ import annotations

import time

import plotly.graph_objects as go

from mintqo.figures import charts, criteria_bars
from mintqo.report import content, images
from mintqo.report.data import ReportData
from mintqo.report.pdf import Charts
from mintqo.report.table_layout import ReportPDF, Table

PRINT_FONT = "DejaVu Sans, Arial, sans-serif"
RADAR_SIZE = (720, 600)  # CSS pixels; the PDF places it 135 mm wide, so 12 px type prints at ~6.5 pt
CRITERIA_SIZE = (720, 240)
SCALE = 2.0  # device pixels per CSS pixel: the radar prints at ~270 dpi


def _print(fig: go.Figure) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": PRINT_FONT, "color": "#222222"},
    )
    return fig


def radar(data: ReportData) -> go.Figure:
    """Radar over all sub-criteria with the released band and the previous round, as on screen."""
    previous = data.previous
    fig = charts.radar_figure(
        data.results,
        data.band,
        band_name=data.band_name,
        height=RADAR_SIZE[1],
        previous=previous.results if previous else None,
        previous_name=f"Runde {previous.round}" if previous else "vorige Runde",
    )
    return _print(fig)


def criteria(data: ReportData) -> go.Figure:
    """Bars of the main criteria with the band's median and middle 50 %."""
    fig = criteria_bars.criteria_figure(data.results, data.band, band_name=data.band_name)
    fig.update_layout(height=CRITERIA_SIZE[1])
    return _print(fig)


def chart_images(data: ReportData, browser_path: str) -> Charts:
    """PNG images of both charts; without a working browser the report gets none (and says so).

    Without any rating 1–4 there is nothing to draw: the report explains that instead of empty charts.
    """
    if not content.has_scores(data):
        return Charts()
    radar_png = images.png(radar(data), browser_path, width=RADAR_SIZE[0], height=RADAR_SIZE[1], scale=SCALE)
    if radar_png is None:
        return Charts()
    bars_png = images.png(
        criteria(data), browser_path, width=CRITERIA_SIZE[0], height=CRITERIA_SIZE[1], scale=SCALE
    )
    return Charts(radar_png, bars_png)


def warm_up(browser_path: str) -> float:
    """Do once what makes a process's first report slow; returns the seconds it took.

    Starts Chromium and draws a small radar and bars (plotly.js loads into the page once), then
    builds a one-page PDF with the fonts, a table and an image (fpdf2's lazily loaded parts).
    """
    start = time.perf_counter()
    polar = go.Figure(go.Scatterpolar(r=[2, 3, 4, 2], theta=["A1", "A2", "A3", "A1"], fill="toself"))
    bars = go.Figure(go.Bar(x=[2.5, 3.1], y=["A", "B"], orientation="h"))
    image = None
    for fig in (polar, bars):
        image = images.png(_print(fig), browser_path, width=240, height=200, scale=1.0) or image
    doc = ReportPDF(running_title="mintqo", footer_note="mintqo")
    doc.add_page()
    doc.heading("Aufwärmen")
    warm_table = Table(["Id", "Wert"], [["A1", "3,0"], ["A2", "2,5"]], "LC")
    doc.data_table(warm_table, lambda: doc.caption("Tabelle"))
    if image is not None:
        doc.png(image, width=40)
    doc.output()
    return time.perf_counter() - start
