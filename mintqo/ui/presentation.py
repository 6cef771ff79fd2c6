"""Projector styling and slide parts for the presentation mode (16:9, large type, high contrast)."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.anonymity import GroupPicture, Withheld, gate
from mintqo.domain.benchmark import AxisStat
from mintqo.domain.plaintext import html
from mintqo.domain.scoring import format_score
from mintqo.domain.workshop import Agenda
from mintqo.services import groups
from mintqo.ui.resources import db_session

_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] {
  padding: 1.2rem 2.5rem 0.6rem 2.5rem !important; max-width: 100% !important;
}
.stApp { background: #ffffff; color: #111111; }
.slide-title { font-size: 3.1rem !important; line-height: 1.15; margin: 0 !important; padding: 0 !important;
  color: #111111; }
.slide-counter { font-size: 1.6rem !important; text-align: right; color: #333333; margin: 0; }
.slide-lead { font-size: 1.6rem !important; color: #222222; margin: 0.2rem 0 0.6rem 0; }
.slide-side { font-size: 1.7rem !important; color: #222222; }
.slide-number { font-size: 4.2rem !important; font-weight: 700; line-height: 1.0; color: #111111; margin: 0; }
.slide-label { font-size: 1.5rem !important; color: #333333; margin: 1.2rem 0 0.2rem 0; }
.slide-detail { font-size: 1.3rem !important; color: #333333; margin: 0.1rem 0 0 0; }
.slide-message { font-size: 2.4rem !important; color: #222222; margin-top: 12rem; text-align: center; }
.slide-footer { font-size: 1.35rem !important; color: #222222; border-top: 2px solid #222222;
  padding-top: 0.4rem; margin: 0.3rem 0 0.2rem 0; }
.agenda-head { font-size: 2.0rem !important; font-weight: 700; margin: 0.4rem 0 0.8rem 0; }
.agenda-item { font-size: 1.75rem !important; margin: 0 0 1.0rem 0; line-height: 1.25; }
.agenda-item small { font-size: 1.35rem !important; color: #333333; }
</style>
"""


def projector_style() -> None:
    """Hide the app chrome and scale the type for a projector or a shared screen."""
    st.html(_CSS)


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
