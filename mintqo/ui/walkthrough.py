"""Walkthrough glue: current step, autosave callbacks, widgets seeded from the database, navigator."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

import streamlit as st

from mintqo.db.models import as_utc, utcnow
from mintqo.domain import plaintext
from mintqo.domain.plaintext import md
from mintqo.domain.progress import first_open_step, progress, step_state
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire, SubCriterion
from mintqo.services import answers
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.ui import a11y, conflicts, errors, state, step_style
from mintqo.ui.resources import db_session

LOCAL_TIME = ZoneInfo("Europe/Berlin")  # participants read the save time on their own clock


def answer_key(statement_id: str) -> str:
    """Widget key of a statement's answer."""
    return f"assess.q.{statement_id}"


def current_step(q: Questionnaire, answers: Mapping[str, str]) -> str:
    """Step to show: the URL's (browser Back/Forward, reload), else this session's, else the first open.

    Every step change writes the URL (go_to), which Streamlit adds to the browser history; Back
    reruns the page with the older URL, so the URL wins over the step kept in the session.
    """
    asked = st.query_params.get(state.URL_STEP)
    step = _step_in_url(q, asked) or st.session_state.get(state.STEP)
    if not step or not q.has_subcriterion(step):
        step = first_open_step(q, answers) or q.subcriteria[0].id
    if asked and _step_in_url(q, asked) is None:
        st.info(f"Einen Schritt „{md(asked[:20])}“ gibt es nicht – Sie sehen Schritt {step}.")
    go_to(step)
    return step


def _step_in_url(q: Questionnaire, asked: str | None) -> str | None:
    """The sub-criterion a URL names: its id ("A2") or its number in the walkthrough ("2")."""
    if not asked:
        return None
    if asked.isdigit() and 1 <= int(asked) <= len(q.subcriteria):
        return q.subcriteria[int(asked) - 1].id
    return asked if q.has_subcriterion(asked) else None


def go_to(step: str) -> None:
    """Make a step the current one (session and URL)."""
    st.session_state[state.STEP] = step
    if st.query_params.get(state.URL_STEP) != step:
        st.query_params[state.URL_STEP] = step


def note_key(sub_id: str) -> str:
    """Widget key of a sub-criterion's note."""
    return f"assess.note.{sub_id}"


def flag_key(sub_id: str) -> str:
    """Widget key of a sub-criterion's "Handlungsbedarf" flag."""
    return f"assess.flag.{sub_id}"


PENDING_NOTES = "assess.pending_notes"  # sub-criterion id -> note text whose save failed
LAST_SAVED = "assess.last_saved"  # when this session's last save was confirmed


def _saved() -> None:
    st.session_state[LAST_SAVED] = utcnow()
    st.session_state.pop(state.SAVE_ERROR, None)


def save_answer(q: Questionnaire, info: AnalysisInfo, statement_id: str) -> None:
    """on_change callback: store the widget's value at once; a failure is reported, not hidden.

    The next run seeds the radio from the database again, so a refused or failed save shows
    the stored answer (not the click) and choosing the option again retries.
    """
    value = st.session_state.get(answer_key(statement_id))
    try:  # a fresh session: the read of the stored answer and the save share one short transaction
        with db_session() as session:
            before = answers.replace_answer(session, q, info.analysis_id, info.rater_id, statement_id, value)
    except Exception as exc:
        st.session_state[state.SAVE_ERROR] = (
            f"Nicht gespeichert ({statement_id}): {errors.save_failure(exc)} Die Auswahl zeigt wieder den "
            "gespeicherten Stand – bitte wählen Sie die Antwort noch einmal."
        )
        return
    conflicts.answer_saved(q, info, statement_id, before, value)
    _saved()


def save_note(q: Questionnaire, info: AnalysisInfo, sub_id: str) -> None:
    """on_change callback for the note; a failed note stays in the field with "Erneut speichern"."""
    note = st.session_state.get(note_key(sub_id), "")
    pending: dict[str, str] = st.session_state.setdefault(PENDING_NOTES, {})
    try:
        with db_session() as session:
            before = answers.replace_note(session, q, info.analysis_id, sub_id, note=note)
    except Exception as exc:
        pending[sub_id] = note
        st.session_state[state.SAVE_ERROR] = f"Notiz nicht gespeichert: {errors.save_failure(exc)}"
        return
    pending.pop(sub_id, None)
    conflicts.note_saved(info, sub_id, before, note=note)
    _saved()


def retry_note(q: Questionnaire, info: AnalysisInfo, sub_id: str) -> None:
    """ "Erneut speichern": store the note that failed before."""
    pending = st.session_state.get(PENDING_NOTES, {})
    if sub_id in pending:
        st.session_state[note_key(sub_id)] = pending[sub_id]
    save_note(q, info, sub_id)


def save_flag(q: Questionnaire, info: AnalysisInfo, sub_id: str) -> None:
    """on_change callback for the "Handlungsbedarf" flag (shown as stored after a failure)."""
    try:
        flag = bool(st.session_state.get(flag_key(sub_id)))
        with db_session() as session:
            before = answers.replace_note(session, q, info.analysis_id, sub_id, action_needed=flag)
    except Exception as exc:
        st.session_state[state.SAVE_ERROR] = (
            f"Handlungsbedarf nicht gespeichert: {errors.save_failure(exc)} "
            "Bitte setzen Sie das Häkchen noch einmal."
        )
        return
    conflicts.note_saved(info, sub_id, before, flag=flag)
    _saved()


def seed_from_database(sub: SubCriterion, stored: Mapping[str, str], note: NoteState) -> None:
    """Give this step's widgets the values the database holds, on every run.

    After a failed save, a reconnect or a server restart the browser may still show a click
    the database does not hold; seeding replaces it with the stored value before the widgets
    are drawn. Only a note whose save failed keeps its text (it shows "Erneut speichern").
    """
    for statement in sub.statements:
        st.session_state[answer_key(statement.id)] = stored.get(statement.id)
    st.session_state[flag_key(sub.id)] = note.action_needed
    pending = st.session_state.get(PENDING_NOTES, {})
    st.session_state[note_key(sub.id)] = pending.get(sub.id, note.note)


def step_navigator(q: Questionnaire, answers: Mapping[str, str], current: str) -> None:
    """Sidebar list of all steps with their state; a click (never an arrow key) jumps there.

    One button per step instead of a radio group: arrow keys in a radio group would change
    the step on the first key press (a change of context on input, WCAG 3.2.2). The current
    step is plain text. After a step change the focus moves to the new step's heading.
    """
    with st.sidebar, st.container(key="assess-steps", gap="xxsmall"):
        st.markdown("**Schritte**")
        for sub in q.subcriteria:
            mark = step_state(sub, answers)
            label = f"{mark.symbol} {sub.id} {sub.title}"
            if sub.id == current:
                st.markdown(
                    f"<p class='mq-current-step'>{plaintext.html(label)}"
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
    title = f"{current} {q.subcriterion(current).title}"
    a11y.focus_heading(title, marker=f"step:{current}", style=step_style.CSS)


_SCROLL_TOP = """<script>
for (const sel of ['[data-testid="stMain"]', '[data-testid="stAppViewContainer"]', 'section.main']) {
  document.querySelector(sel)?.scrollTo({top: 0});
}
window.scrollTo({top: 0});
</script>"""


def scroll_to_top_on_step_change(step: str) -> None:
    """After "Weiter" the new step must start at its heading, not where the old step ended.

    Call it after the step: it draws an element only on a step change, and an element that comes
    and goes above the step would move the step's place, so the next run would briefly show the
    old step beside the new one until the run ends.
    """
    if st.session_state.get("assess.shown_step") not in (None, step):
        st.html(_SCROLL_TOP, unsafe_allow_javascript=True, width="content")
    st.session_state["assess.shown_step"] = step


def step_form(
    q: Questionnaire, info: AnalysisInfo, sub: SubCriterion, position: str, stored: Mapping[str, str]
) -> None:
    """Progress, explanation and statements of one step, each radio showing the stored answer.

    Drawn inside the step fragment (step_fragment.py): a click reruns this, not the whole page.
    """
    done = progress(q, stored)
    st.progress(done.fraction, text=f"{done.answered} von {done.total} Aussagen beantwortet")
    error = st.session_state.pop(state.SAVE_ERROR, None)
    if error:
        st.error(error, icon=":material/cloud_off:")
    conflicts.show_notices()
    if info.submitted:
        st.info(
            "Diese Selbstanalyse ist abgeschlossen. "
            "Um etwas zu ändern, öffnen Sie sie auf der Seite „Ergebnisse“ wieder."
        )
    criterion = next(c for c in q.criteria if c.id == sub.criterion_id)
    # The page's h1, compact (style.py): where you are; the step's title below is the h2.
    where = plaintext.html(f"Durchführung · {position} · {criterion.id} {criterion.title}")
    st.markdown(f"<h1 class='mq-step-h1'>{where}</h1>", unsafe_allow_html=True)
    st.header(f"{sub.id} {sub.title}")
    st.markdown(sub.explanation)
    with st.expander("Praxisbeispiel", icon=":material/lightbulb:"):
        st.markdown(sub.example)
    with st.expander("Was bedeuten die Antworten?", icon=":material/help:"):
        st.markdown("\n".join(f"- **{o.short}**: {o.label}" for o in q.scale))
    labels = {o.value: o.short for o in q.scale}
    for statement in sub.statements:
        st.radio(
            f"{statement.id} {statement.text}",
            ANSWER_VALUES,
            index=None,  # the value comes from seed_from_database (the stored answer)
            format_func=labels.__getitem__,
            horizontal=True,
            key=answer_key(statement.id),
            on_change=save_answer,
            args=(q, info, statement.id),
            disabled=info.submitted,
        )


def save_indicator(sub_id: str, saved_at: datetime | None) -> None:
    """A calm line telling whether everything of this step is stored, and since when."""
    if sub_id in st.session_state.get(PENDING_NOTES, {}):
        st.caption(":orange[Die Notiz ist noch nicht gespeichert.]")
        return
    confirmed = st.session_state.get(LAST_SAVED)
    times = [as_utc(t) for t in (saved_at, confirmed) if t is not None]
    if not times:
        st.caption("Alle Antworten werden sofort gespeichert.")
        return
    local = max(times).astimezone(LOCAL_TIME)
    st.caption(f"✓ Alle Antworten gespeichert · {local:%H:%M}")
