"""Small shared widgets: the sidebar box of the open analysis, band badges, guards."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Band, SubScore, format_score, open_points
from mintqo.services import exports
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.ui import session
from mintqo.ui.resources import db_session

BAND_BADGE = {
    Band.DEVELOPMENT: "red",
    Band.EXPANDABLE: "orange",
    Band.STRENGTH: "green",
}


def sidebar_analysis(info: AnalysisInfo) -> None:
    """Show which analysis is open, with a log-out button."""
    with st.sidebar:
        st.caption("Geöffnete Selbstanalyse")
        st.markdown(f"**{info.project}**  \n{info.initiative}")
        if info.members > 1:
            st.caption(f"Sie bewerten als {info.rater_name} ({info.members} im Team)")
        status = "abgeschlossen" if info.submitted else "in Bearbeitung"
        st.caption(f"Runde {info.round} · {status}")
        if st.button("Abmelden", key="nav.logout", icon=":material/logout:"):
            session.close_analysis()
            st.rerun()


def require_analysis() -> AnalysisInfo:
    """The open analysis; otherwise a hint with a link to the start page, and stop."""
    info = session.current_analysis()
    if info is None:
        st.info("Bitte starten Sie zuerst eine Selbstanalyse oder öffnen Sie eine mit Ihrem Zugangscode.")
        st.page_link("pages/start.py", label="Zur Startseite", icon=":material/home:")
        st.stop()
    return info


def band_badge(score: SubScore) -> str:
    """Markdown badge with the score and its band, e.g. ":green-badge[3,5 · Stärke]"."""
    if score.band is None:
        return ":gray-badge[keine Bewertung]"
    return f":{BAND_BADGE[score.band]}-badge[{format_score(score.mean)} · {score.band.value}]"


def open_points_and_notes(
    q: Questionnaire, answers: Mapping[str, str], notes: Mapping[str, NoteState]
) -> None:
    """The "weiß nicht" points and the flagged sub-criteria with their notes, side by side."""
    points_col, notes_col = st.columns(2, gap="large")
    with points_col:
        st.subheader("Offene Punkte („weiß nicht“)")
        points = open_points(q, answers)
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
            st.markdown(f"**{sub.label}**{flag}  \n{notes[sub.id].note}")
        if not marked:
            st.caption("Sie haben noch keinen Handlungsbedarf markiert und keine Notizen geschrieben.")


def downloads(q: Questionnaire, info: AnalysisInfo) -> None:
    """Download the project's own answers, notes and measures (Excel and CSV)."""
    with db_session() as db:
        data = exports.own_data(db, q, info)
    stem = f"mintqo-runde{info.round}"
    st.subheader("Herunterladen")
    excel, answers_csv, measures_csv = st.columns(3)
    excel.download_button(
        "Excel (.xlsx): Antworten und Maßnahmen",
        exports.workbook(data, info),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table:",
        key="results.download.xlsx",
        on_click="ignore",
    )
    answers_csv.download_button(
        "CSV: Antworten und Notizen",
        exports.answers_csv(data),
        file_name=f"{stem}-antworten.csv",
        mime="text/csv",
        icon=":material/download:",
        key="results.download.answers",
        on_click="ignore",
    )
    measures_csv.download_button(
        "CSV: Maßnahmen",
        exports.measures_csv(data),
        file_name=f"{stem}-massnahmen.csv",
        mime="text/csv",
        icon=":material/download:",
        key="results.download.measures",
        on_click="ignore",
    )
    st.caption("Die Dateien enthalten nur die Daten Ihres Projekts, mit den Texten des Fragebogens.")
