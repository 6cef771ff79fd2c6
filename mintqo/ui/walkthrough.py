"""Walkthrough glue: current step, autosave callbacks and the step navigator."""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping

import streamlit as st

from mintqo.domain.progress import StepState, first_open_step, progress, step_state
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire, SubCriterion
from mintqo.services import analyses
from mintqo.services.analyses import AnalysisInfo
from mintqo.ui import a11y, state
from mintqo.ui.resources import db_session

logger = logging.getLogger(__name__)


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


def _report(error: Exception) -> None:
    """Keep a failed save visible to the user instead of losing it silently."""
    if isinstance(error, analyses.AnalysisError):
        message = str(error)
    else:
        logger.exception("autosave failed", exc_info=error)
        message = "Die Datenbank hat nicht geantwortet. Bitte wählen Sie die Antwort noch einmal."
    st.session_state[state.SAVE_ERROR] = f"Nicht gespeichert: {message}"


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
    """Sidebar list of all steps with their state; a click (never an arrow key) jumps there.

    One button per step instead of a radio group: arrow keys in a radio group would change
    the step on the first key press (a change of context on input, WCAG 3.2.2). The current
    step is plain text. After a step change the focus moves to the new step's heading.
    """
    # The page's h1 for screen readers; the step's title below is the visible h2.
    st.markdown("<h1 class='mq-sr-only'>Durchführung</h1>", unsafe_allow_html=True)
    with st.sidebar, st.container(key="assess-steps", gap="xxsmall"):
        st.markdown("**Schritte**")
        for sub in q.subcriteria:
            mark = step_state(sub, answers)
            label = f"{mark.symbol} {sub.id} {sub.title}"
            if sub.id == current:
                st.markdown(
                    f"<p class='mq-current-step'>{html.escape(label)}"
                    "<span class='mq-sr-only'> (aktueller Schritt)</span></p>",
                    unsafe_allow_html=True,
                )
            else:
                st.button(
                    label,
                    key=f"assess.step.{sub.id}",
                    type="tertiary",
                    on_click=go_to,
                    args=(sub.id,),
                )
        st.caption("✓ vollständig · ◐ begonnen · ○ offen")
    a11y.focus_heading(f"{current} {q.subcriterion(current).title}", marker=f"step:{current}")


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


@st.fragment
def step_form(
    q: Questionnaire, info: AnalysisInfo, sub: SubCriterion, position: str, shown: StepState
) -> None:
    """Progress, explanation and statements of one step; an answer reruns only this fragment.

    The whole page reruns only when the step becomes complete (or stops being complete), so
    the navigator's marks stay right while most clicks cost a fraction of a full rerun.
    """
    with db_session() as session:
        answers = analyses.answers_of(session, info.analysis_id, info.rater_id)
    if (step_state(sub, answers) is StepState.COMPLETE) != (shown is StepState.COMPLETE):
        st.rerun(scope="app")
    done = progress(q, answers)
    st.progress(done.fraction, text=f"{done.answered} von {done.total} Aussagen beantwortet")
    error = st.session_state.pop(state.SAVE_ERROR, None)
    if error:
        st.error(error)
    if info.submitted:
        st.info(
            "Diese Selbstanalyse ist abgeschlossen. "
            "Um etwas zu ändern, öffnen Sie sie auf der Seite „Ergebnisse“ wieder."
        )
    criterion = next(c for c in q.criteria if c.id == sub.criterion_id)
    st.caption(f"{position} · {criterion.id} {criterion.title}")
    st.header(f"{sub.id} {sub.title}")
    st.markdown(sub.explanation)
    with st.expander("Praxisbeispiel", icon=":material/lightbulb:"):
        st.markdown(sub.example)
    with st.expander("Was bedeuten die Antworten?", icon=":material/help:"):
        st.markdown("\n".join(f"- **{o.short}**: {o.label}" for o in q.scale))
    labels = {o.value: o.short for o in q.scale}
    for statement in sub.statements:
        current = answers.get(statement.id)
        st.radio(
            f"{statement.id} {statement.text}",
            ANSWER_VALUES,
            index=ANSWER_VALUES.index(current) if current else None,
            format_func=labels.__getitem__,
            horizontal=True,
            key=answer_key(statement.id),
            on_change=save_answer,
            args=(q, info, statement.id),
            disabled=info.submitted,
        )
