"""Results page parts: the radar and its layers, ring legend, the first screen's hold, category lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.plaintext import md
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Band, Results, SubScore
from mintqo.figures import charts
from mintqo.services.analyses import NoteState
from mintqo.ui import a11y, first_screen, widgets

LAYERS_KEY = "results.layers"
RADAR_KEY = "results-radar"  # the container of the radar the first screen ends below
FIRST_SCREEN = "results.first_screen"  # set once the first screen of this browser session was drawn
REST_KEY = "results.rest"  # the hidden button the browser clicks once the first screen's radar is drawn
MEDIAN, IQR = "Median", "mittlere 50 %"


def ring_legend() -> None:
    """What the coloured rings behind the radar mean (colour and words, never colour alone)."""
    st.markdown(
        "Farbige Ringe: "
        + " · ".join(f":{badge}-badge[{color}] {text}" for badge, color, text in charts.RING_LEGEND)
    )


def radar(
    results: Results,
    band: GroupPicture | None,
    band_name: str,
    previous: Results | None,
    prev_round: int | None,
) -> None:
    """The own profile, always; the group's median and middle 50 % and the earlier round on demand."""
    options = []
    if band is not None:
        options += [MEDIAN, IQR]
    prev_label = f"Runde {prev_round}" if previous is not None else ""
    if previous is not None:
        options.append(prev_label)
    chosen = set(options)
    if options:
        if st.session_state.get(LAYERS_KEY) is None or any(
            v not in options for v in st.session_state[LAYERS_KEY]
        ):
            st.session_state[LAYERS_KEY] = [MEDIAN] if band is not None else []
        picked = st.pills(
            "Im Profil zusätzlich zeigen",
            options,
            selection_mode="multi",
            format_func=lambda o: f"{band_name}: {o}" if o in (MEDIAN, IQR) else o,
            key=LAYERS_KEY,
            help="Ihr Projekt ist immer zu sehen. Tippen Sie eine Ebene an, um sie ein- oder auszublenden.",
        )
        chosen = set(picked or [])
    with st.container(key=RADAR_KEY):
        a11y.chart(
            charts.radar_figure(
                results,
                band,
                band_name=band_name,
                previous=previous if prev_label in chosen else None,
                previous_name=prev_label,
                show_band=IQR in chosen,
                show_median=MEDIAN in chosen,
            ),
            label="Profil über alle Unterkriterien als Netzdiagramm, Werte 1 bis 4",
            tables=not first_screen.is_first(FIRST_SCREEN),  # the first screen: only the radar
        )
    ring_legend()


def first_screen_then_rest() -> None:
    """On the page's first run in a browser session, end the run here (below the radar) and hold
    the rest until the browser has drawn the radar (first_screen.end_first_screen)."""
    first_screen.end_first_screen(FIRST_SCREEN, RADAR_KEY, REST_KEY)


def _items(scores: list[SubScore]) -> None:
    for s in scores:
        st.markdown(f"{widgets.band_badge(s)} **{s.subcriterion.label}**")


def strengths(results: Results) -> None:
    """Strengths (from 3,3) and, shorter, the solid sub-criteria (3,0–3,2)."""
    with st.container(key="results-strengths"):
        st.subheader("Stärken")
        st.caption("Ab 3,3: hier ist vieles umgesetzt und wird regelmäßig überprüft.")
        _items(results.strengths())
        if not results.strengths():
            st.caption("Noch keine Stärke (ab 3,3).")
        solid = results.solid()
        if solid:
            st.markdown("**Solide (3,0–3,2)**")
            _items(solid)


def development(results: Results) -> None:
    """Where to start: the "Entwicklungsfelder" (below 2,0) and what is "ausbaufähig" (2,0–2,9)."""
    with st.container(key="results-development"):
        st.subheader("Ansatzpunkte")
        areas = results.development_areas()
        low = [s for s in areas if s.band is Band.DEVELOPMENT]
        mid = [s for s in areas if s not in low]
        if low:
            st.markdown("**Entwicklungsfelder (unter 2,0)**")
            _items(low)
        if mid:
            st.markdown("**Ausbaufähig (2,0–2,9)**")
            _items(mid)
        if not areas:
            st.caption("Kein bewertetes Unterkriterium unter 3,0.")
        st.page_link("pages/measures.py", label="Maßnahmen planen", icon=":material/task_alt:")


def open_points_and_notes(
    q: Questionnaire, points: Sequence[tuple[str, str]], notes: Mapping[str, NoteState]
) -> None:
    """The "weiß nicht" points and the flagged sub-criteria with their notes, side by side."""
    points_col, notes_col = st.columns(2, gap="large")
    with points_col:
        st.subheader("Offene Punkte („weiß nicht“)")
        for statement_id, text in points:
            st.markdown(f"- **{statement_id}** {text}")
        if not points:
            st.caption("Keine offenen Punkte.")
    with notes_col:
        st.subheader("Handlungsbedarf und Notizen")
        marked = [
            sub
            for sub in q.subcriteria
            if sub.id in notes and (notes[sub.id].action_needed or notes[sub.id].note)
        ]
        for sub in marked:
            flag = " :red-badge[Handlungsbedarf]" if notes[sub.id].action_needed else ""
            st.markdown(f"**{sub.label}**{flag}  \n{md(notes[sub.id].note)}")
        if not marked:
            st.caption("Sie haben noch keinen Handlungsbedarf markiert und keine Notizen geschrieben.")
