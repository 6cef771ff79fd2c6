"""Walkthrough glue: current step, autosave callbacks and the step navigator."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from mintqo.domain.progress import first_open_step, step_state
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import analyses
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import state
from mintqo.ui.resources import db_session


def answer_key(statement_id: str) -> str:
    """Widget key of a statement's answer."""
    return f"assess.q.{statement_id}"


def current_step(q: Questionnaire, answers: Mapping[str, str]) -> str:
    """Step to show: chosen in this session, else from the URL, else the first open step."""
    step = st.session_state.get(state.STEP) or st.query_params.get(state.URL_STEP)
    if not step or not q.has_subcriterion(step):
        step = first_open_step(q, answers) or q.subcriteria[0].id
    go_to(step)
    return step


NAV_KEY = "assess.nav"


def go_to(step: str) -> None:
    """Make a step the current one (session, URL and the navigator's selection)."""
    st.session_state[state.STEP] = step
    st.session_state[NAV_KEY] = step
    if st.query_params.get(state.URL_STEP) != step:
        st.query_params[state.URL_STEP] = step


def _picked() -> None:
    go_to(st.session_state[NAV_KEY])


def _report(error: Exception) -> None:
    st.session_state[state.SAVE_ERROR] = f"Nicht gespeichert: {error}"


def save_answer(q: Questionnaire, info: AnalysisInfo, statement_id: str) -> None:
    """on_change callback: store the widget's value immediately."""
    value = st.session_state.get(answer_key(statement_id))
    try:
        with db_session() as session:
            analyses.record_answer(session, q, info.analysis_id, info.rater_id, statement_id, value)
    except Exception as exc:
        _report(exc)


def save_note(q: Questionnaire, info: AnalysisInfo, sub_id: str) -> None:
    """on_change callback for the note field."""
    try:
        with db_session() as session:
            analyses.save_note(
                session,
                q,
                info.analysis_id,
                sub_id,
                note=st.session_state.get(f"assess.note.{sub_id}", ""),
            )
    except Exception as exc:
        _report(exc)


def save_flag(q: Questionnaire, info: AnalysisInfo, sub_id: str) -> None:
    """on_change callback for the "Handlungsbedarf" flag."""
    try:
        with db_session() as session:
            flag = bool(st.session_state.get(f"assess.flag.{sub_id}"))
            analyses.save_note(session, q, info.analysis_id, sub_id, action_needed=flag)
    except Exception as exc:
        _report(exc)


def step_navigator(q: Questionnaire, answers: Mapping[str, str], current: str) -> None:
    """Sidebar list of all steps with their state; choosing one jumps there."""
    marks = {sub.id: step_state(sub, answers).symbol for sub in q.subcriteria}
    titles = {sub.id: sub.title for sub in q.subcriteria}
    if st.session_state.get(NAV_KEY) != current:
        st.session_state[NAV_KEY] = current
    with st.sidebar:
        st.radio(
            "Schritte",
            list(marks),
            format_func=lambda sid: f"{marks[sid]} {sid} {titles[sid]}",
            key=NAV_KEY,
            on_change=_picked,
        )
        st.caption("✓ vollständig · ◐ begonnen · ○ offen")


_SCROLL_TOP = """<script>
for (const sel of ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', 'section.main']) {
  document.querySelector(sel)?.scrollTo({top: 0});
}
window.scrollTo({top: 0});
</script>"""


def scroll_to_top_on_step_change(step: str) -> None:
    """After "Weiter" the new step must start at its heading, not where the old step ended."""
    if st.session_state.get("assess.shown_step") not in (None, step):
        st.html(_SCROLL_TOP, unsafe_allow_javascript=True, width="content")
    st.session_state["assess.shown_step"] = step
