"""Projector styling and slide parts for the presentation mode (16:9, large type, high contrast)."""

from __future__ import annotations

import streamlit as st
from plotly.graph_objects import Figure

from mintqo.domain.anonymity import GroupPicture, Withheld, gate
from mintqo.domain.histograms import AxisStat
from mintqo.domain.plaintext import html
from mintqo.domain.scoring import format_score
from mintqo.domain.workshop import Agenda
from mintqo.services import groups
from mintqo.ui import a11y
from mintqo.ui.resources import db_session

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
/* One slide fills the screen: a column of fixed-height rows and a body that takes the rest. */
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 1.6vh 2.2vw 1.2vh 2.2vw !important; max-width: 100% !important;
  height: 100vh; box-sizing: border-box;
}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {
  height: 100%; flex-wrap: nowrap; gap: 0.7vh; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > * { flex-shrink: 0; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] >
  [data-testid="stLayoutWrapper"]:has(> .st-key-slide-body) { flex: 1 1 0; min-height: 0; }
.st-key-slide-body { height: 100%; min-height: 0; flex-wrap: nowrap; overflow: hidden; }
.st-key-slide-body > * { flex-shrink: 0; }
.st-key-slide-body [data-testid="stHorizontalBlock"] { height: 100%; flex-wrap: nowrap; }
.st-key-slide-body [data-testid="stLayoutWrapper"]:has(> [data-testid="stHorizontalBlock"]),
.st-key-slide-body [data-testid="stLayoutWrapper"]:has(> .st-key-slide-chart) { flex: 1 1 0; min-height: 0; }
.st-key-slide-body [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; }
.st-key-slide-chart { height: 100%; min-height: 0; }
.st-key-slide-chart [data-testid="stElementContainer"] { flex: 1 1 0; min-height: 0; }
.st-key-slide-chart [data-testid="stPlotlyChart"], .st-key-slide-chart .js-plotly-plot { height: 100%; }
/* Plotly sizes its type in px: on a larger screen the chart is laid out for a smaller one and scaled
   up, so labels grow with the screen like the slide's text (1920×1080 shows the 1280×720 chart at 1.5×). */
.st-key-slide-chart > [data-testid="stElementContainer"] { width: calc(100% / var(--chart-zoom)) !important;
  flex: 0 0 calc(100% / var(--chart-zoom)) !important; }
.st-key-slide-chart .js-plotly-plot { overflow: visible !important; }
.st-key-slide-chart .js-plotly-plot > .plot-container { transform: scale(var(--chart-zoom));
  transform-origin: 0 0; }
:root { --chart-zoom: 1; }
@media (min-width: 1500px) and (min-height: 820px) { :root { --chart-zoom: 1.2; } }
@media (min-width: 1700px) and (min-height: 940px) { :root { --chart-zoom: 1.35; } }
@media (min-width: 1900px) and (min-height: 1050px) { :root { --chart-zoom: 1.5; } }
@media (min-width: 2500px) and (min-height: 1400px) { :root { --chart-zoom: 2; } }
@media (min-width: 3800px) and (min-height: 2100px) { :root { --chart-zoom: 3; } }
[data-testid="stMarkdownContainer"] { margin-bottom: 0 !important; }
.st-key-slide-keys { position: absolute; height: 0; width: 0; overflow: hidden; }
.stApp { background: #ffffff; color: #111111; }
.slide-title { font-size: clamp(1.5rem, 5.6vh, 3.4rem) !important; line-height: 1.12; margin: 0 !important;
  padding: 0 !important; color: #111111; }
.slide-counter { font-size: clamp(1rem, 2.9vh, 1.8rem) !important; text-align: right; color: #222222;
  margin: 0; line-height: 1.2; }
.slide-hint { font-size: clamp(0.8rem, 1.9vh, 1.15rem) !important; text-align: right; color: #333333;
  margin: 0; }
.slide-lead { font-size: clamp(1rem, 2.7vh, 1.7rem) !important; color: #222222; margin: 0;
  line-height: 1.25; }
.slide-side { font-size: clamp(1rem, 2.9vh, 1.8rem) !important; color: #222222; margin: 0.6vh 0 0 0; }
.slide-number { font-size: clamp(1.8rem, 6.6vh, 4.4rem) !important; font-weight: 700; line-height: 1.0;
  color: #111111; margin: 0; }
.slide-label { font-size: clamp(0.95rem, 2.5vh, 1.55rem) !important; color: #222222; margin: 1.2vh 0 0.2vh 0;
  line-height: 1.2; }
.slide-detail { font-size: clamp(0.85rem, 2.1vh, 1.35rem) !important; color: #333333; margin: 0.2vh 0 0 0;
  line-height: 1.3; }
.slide-message { font-size: clamp(1.3rem, 3.8vh, 2.4rem) !important; color: #222222; margin-top: 20vh;
  text-align: center; }
.slide-footer { font-size: clamp(0.8rem, 2.1vh, 1.35rem) !important; color: #222222; line-height: 1.3;
  border-top: 2px solid #222222; padding-top: 0.5vh; margin: 0; }
.agenda-head { font-size: clamp(1.2rem, 3.4vh, 2.1rem) !important; font-weight: 700;
  margin: 0.5vh 0 1.5vh 0; }
.agenda-item { font-size: clamp(1rem, 2.9vh, 1.8rem) !important; margin: 0 0 2vh 0; line-height: 1.25; }
.agenda-item small { font-size: clamp(0.85rem, 2.3vh, 1.4rem) !important; color: #333333; }
.st-key-slide-nav button { min-height: 2.6rem; }
</style>
"""


def projector_style() -> None:
    """Hide the app chrome and scale the type for a projector or a shared screen."""
    st.html(_CSS)


def slide_chart(fig: Figure, label: str) -> None:
    """A slide's chart, as large as the room the slide leaves it (sized by the CSS above).

    Its numbers go along as a table for screen readers only: the projector shows just the chart.
    """
    with st.container(key="slide-chart"):
        st.plotly_chart(
            fig, width="stretch", height="stretch", config={"displayModeBar": False, "responsive": True}
        )
    a11y.hidden_table(fig, label=label)


def radar_legend() -> None:
    """What the grey band and the dashed line mean, in projector size."""
    st.markdown(
        "<p class='slide-detail'><span style='display:inline-block;width:1.6rem;height:1rem;"
        "background:rgba(90,90,110,0.45);vertical-align:middle'></span> mittlere 50 % der Gruppe<br>"
        "<span style='display:inline-block;width:1.6rem;border-top:3px dashed #3a3a4a;"
        "vertical-align:middle'></span> Median der Gruppe</p>",
        unsafe_allow_html=True,
    )


def big_message(text: str) -> None:
    """A slide that only says why nothing is drawn."""
    st.markdown(f"<p class='slide-message'>{html(text)}</p>", unsafe_allow_html=True)


def axis_number(label: str, axis: AxisStat | Withheld) -> None:
    """A large median with its interquartile range and n, or the threshold message."""
    st.markdown(f"<p class='slide-label'>{html(label)}</p>", unsafe_allow_html=True)
    if isinstance(axis, Withheld) or axis.median is None:
        message = axis.message if isinstance(axis, Withheld) else "keine Bewertung"
        st.markdown(f"<p class='slide-detail'>{html(message)}</p>", unsafe_allow_html=True)
        return
    st.markdown(
        f"<p class='slide-number'>{format_score(axis.median)}</p>"
        f"<p class='slide-detail'>mittlere 50 %: {format_score(axis.q1)} – {format_score(axis.q3)}"
        f"<br>n = {axis.n}</p>",
        unsafe_allow_html=True,
    )


def agenda_slide(agenda: Agenda) -> None:
    """The discussion agenda in three large columns."""
    cols = st.columns(3, gap="large")
    for col, title, entries in (
        (cols[0], "Niedrigste Mediane", agenda.lowest),
        (cols[1], "Größte Streuung", agenda.widest),
        (cols[2], "Meiste „weiß nicht“", agenda.dont_know),
    ):
        items = "".join(
            f"<p class='agenda-item'><b>{html(e.subcriterion.label)}</b><br>"
            f"<small>{html(e.figure)}</small></p>"
            for e in entries
        )
        col.markdown(
            f"<p class='agenda-head'>{title}</p>{items or '<p class=agenda-item>–</p>'}",
            unsafe_allow_html=True,
        )


def footer_text(group_name: str, label: str, pic: GroupPicture | None, axis_n: str | None) -> str:
    """The line every slide carries: whose figures, n and the threshold."""
    parts = [html(label or group_name)]
    if pic is not None:
        parts.append(f"n = {pic.n_members} abgeschlossene Analysen")
        if axis_n:
            parts.append(f"auf dieser Folie: {axis_n}")
        parts.append(f"je Wert ≥ {gate(pic.k)} Bewertungen (k = {pic.k})")
    return " · ".join(parts)


def go(group_id: int, slide: int) -> None:
    """Move the presentation (button callback); participants' pages follow."""
    with db_session() as db:
        groups.set_presentation(db, group_id, presenting=True, slide=slide)


def pick(group_id: int, key: str) -> None:
    """Jump to the slide chosen in the select box (callback)."""
    go(group_id, int(st.session_state[key]))


def round_label(round_no: int, n: int | None, newest: bool) -> str:
    """How a released round is named in the round picker."""
    text = f"Runde {round_no}" + (" (neueste)" if newest else "")
    return text + (f" · n = {n}" if n is not None else "")


def pick_round(group_id: int, key: str) -> None:
    """Show the round chosen in the select box, from its first slide (callback)."""
    with db_session() as db:
        groups.show_round(db, group_id, int(st.session_state[key]))
