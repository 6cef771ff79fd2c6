"""Small shared widgets: the sidebar box of the open analysis, band badges, guards."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.scoring import Band, SubScore, format_score
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import session

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
        if info.team_size > 1:
            st.caption(f"Sie bewerten als {info.rater_name} ({info.team_size} im Team)")
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
