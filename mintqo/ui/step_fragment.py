"""The walkthrough's step as a fragment: a click reruns the step, not the whole app around it.

A click on an answer, the note or the flag reruns only this fragment: no login restore, sidebar,
page links or page scripts are built and sent again. The fragment still checks the login and
reads the analysis and the answers afresh, and it asks for a full run whenever something outside
it would change: the login ended, the analysis changed (e.g. submitted in another tab), the step
changed, or a step's mark in the sidebar list (○ ◐ ✓) would change.

After a server restart the browser reloads the page (errors.guarded), so it never sends a click
to a fragment the new server does not know.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from mintqo.domain.progress import StepState, step_state
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import answers
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.walkthrough_view import WalkthroughView, walkthrough_view
from mintqo.ui import conflicts, errors, finish_widgets, login_check, state, step_style, walkthrough
from mintqo.ui.resources import db_session

RUN_DATA = "assess.run_data"  # the full run's analysis and answers, handed to the fragment once
SHOWN = "assess.shown_outside"  # what the last full run showed outside the fragment


@dataclass(frozen=True)
class _Outside:
    """What the page shows around the step; a change of any of it needs a full run."""

    info: AnalysisInfo
    step: str
    marks: tuple[StepState, ...]


def _marks(q: Questionnaire, view: WalkthroughView) -> tuple[StepState, ...]:
    return tuple(step_state(sub, view.answers) for sub in q.subcriteria)


def show(q: Questionnaire, step: str, info: AnalysisInfo, view: WalkthroughView) -> None:
    """Draw the step from the full run's reads (no second read in this run)."""
    st.session_state[RUN_DATA] = (info, view)
    st.session_state[SHOWN] = _Outside(info, step, _marks(q, view))
    _step(q, step)


def _fresh_read() -> tuple[AnalysisInfo | None, WalkthroughView | None]:
    """A fragment run: app.py's login check and reads, and the answers, in one database session."""
    with db_session() as session:
        info, _ = login_check.load_run_view(session)
        if info is None:
            return None, None
        return info, walkthrough_view(session, info.analysis_id, info.rater_id)


@st.fragment
def _step(q: Questionnaire, step: str) -> None:
    handed = st.session_state.pop(RUN_DATA, None)
    if handed is None:  # a click in the step: run the whole page if anything around it changes
        if st.session_state.get(state.STEP) != step:  # "Weiter", "Zurück"
            st.rerun()
        errors.contain(lambda: _after_click(q, step))
    else:
        errors.contain(lambda: _draw(q, step, *handed))


def _after_click(q: Questionnaire, step: str) -> None:
    info, view = _fresh_read()
    if info is None or view is None or st.session_state.get(SHOWN) != _Outside(info, step, _marks(q, view)):
        st.rerun()  # logged out, analysis changed elsewhere, or a mark in the step list changes
    _draw(q, step, info, view)


def _draw(q: Questionnaire, step: str, info: AnalysisInfo, view: WalkthroughView) -> None:
    stored, notes = view.answers, view.notes
    subs = q.subcriteria
    index = [s.id for s in subs].index(step)
    sub = subs[index]
    conflicts.check_run(info, stored, notes)
    walkthrough.seed_from_database(sub, stored, notes.get(sub.id, answers.NoteState()))
    walkthrough.step_form(q, info, sub, f"Schritt {index + 1} von {len(subs)}", stored)
    step_style.answer_legend(q)
    _note_and_flag(q, info, sub.id)
    if not info.submitted:
        walkthrough.save_indicator(sub.id, view.saved_at(sub))
    if index == len(subs) - 1:
        finish_widgets.last_step_hint(info, q, stored)
    with st.container(horizontal=True, horizontal_alignment="distribute"):
        if index > 0:
            st.button("← Zurück", key="assess.prev", on_click=walkthrough.go_to, args=(subs[index - 1].id,))
        else:
            st.space()
        if index < len(subs) - 1:
            next_id = subs[index + 1].id
            st.button(
                "Weiter →", key="assess.next", type="primary", on_click=walkthrough.go_to, args=(next_id,)
            )
        else:
            finish_widgets.last_step(info, q, stored)


def _note_and_flag(q: Questionnaire, info: AnalysisInfo, sub_id: str) -> None:
    """The step's note (saved when the field is left) and its "Handlungsbedarf" flag."""
    st.text_area(
        "Begründung / Belege",
        key=walkthrough.note_key(sub_id),
        on_change=walkthrough.save_note,
        args=(q, info, sub_id),
        disabled=info.submitted,
        help="Wird gespeichert, sobald Sie das Feld verlassen.",
        placeholder="Worauf stützen Sie Ihre Einschätzung? Was fehlt noch?",
    )
    if sub_id in st.session_state.get(walkthrough.PENDING_NOTES, {}):
        st.button(
            "Erneut speichern",
            key=f"assess.retry_note.{sub_id}",
            icon=":material/cloud_upload:",
            on_click=walkthrough.retry_note,
            args=(q, info, sub_id),
        )
    st.checkbox(
        "Hier sehen wir Handlungsbedarf",
        key=walkthrough.flag_key(sub_id),
        on_change=walkthrough.save_flag,
        args=(q, info, sub_id),
        disabled=info.submitted,
    )
