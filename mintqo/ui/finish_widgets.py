"""Finishing an analysis: the "abschließen" button at the end of the walkthrough and atop the results."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from mintqo.domain.progress import progress
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results
from mintqo.services import analyses
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui.resources import db_session

WHY = (
    "Erst abgeschlossene Selbstanalysen zählen für den Gruppenvergleich und die Präsentation im "
    "Workshop. Sie können eine abgeschlossene Analyse jederzeit wieder öffnen, um etwas zu ändern."
)
RESULTS = "pages/results.py"


def _submit(info: AnalysisInfo) -> str | None:
    """Mark the analysis as finished; a German message if that failed."""
    try:
        with db_session() as db:
            analyses.submit(db, info.analysis_id)
    except analyses.AnalysisError as exc:
        return str(exc)
    return None


def last_step(info: AnalysisInfo, q: Questionnaire, answers: Mapping[str, str]) -> None:
    """Buttons of the walkthrough's last step: finish (once all is answered) and go to the results."""
    done = progress(q, answers)
    if info.submitted or not done.complete:
        if st.button("Zur Auswertung →", key="assess.finish", type="primary"):
            st.switch_page(RESULTS)
        return
    if st.button("Zur Auswertung →", key="assess.finish"):
        st.switch_page(RESULTS)
    if st.button(
        "Selbstanalyse abschließen", key="assess.submit", type="primary", icon=":material/check_circle:"
    ):
        error = _submit(info)
        if error:
            st.error(error)
        else:
            st.switch_page(RESULTS)


def last_step_hint(info: AnalysisInfo, q: Questionnaire, answers: Mapping[str, str]) -> None:
    """Under the last step: what finishing means, or how many statements are still open."""
    if info.submitted:
        return
    done = progress(q, answers)
    if done.complete:
        st.info(f"Alle Aussagen sind beantwortet. {WHY}", icon=":material/flag:")
    else:
        missing = done.total - done.answered
        st.caption(
            f"Noch {missing} von {done.total} Aussagen offen. Abschließen können Sie auf der Seite "
            "„Ergebnisse“, auch wenn noch etwas offen ist."
        )


def top_box(info: AnalysisInfo, results: Results) -> None:
    """Atop the results: once everything is answered, the invitation to finish (or that it is done)."""
    if info.submitted:
        st.success(
            f"Abgeschlossen am {info.submitted_at:%d.%m.%Y} – diese Selbstanalyse zählt für den "
            "Gruppenvergleich.",
            icon=":material/check_circle:",
        )
        return
    if results.answered < results.total:
        return
    with st.container(border=True, key="results-finish-top"):
        st.markdown("#### :material/flag: Alle Aussagen sind beantwortet")
        st.markdown(WHY)
        if st.button("Selbstanalyse abschließen", type="primary", key="results.submit_top"):
            error = _submit(info)
            if error:
                st.error(error)
            else:
                st.rerun()
