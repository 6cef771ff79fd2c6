"""Durchführung: one sub-criterion per step, every answer saved as it is given."""

import streamlit as st

from mintqo.domain.progress import progress
from mintqo.domain.questionnaire import ANSWER_VALUES
from mintqo.services import analyses
from mintqo.ui import state, walkthrough, widgets
from mintqo.ui.resources import db_session, questionnaire

info = widgets.require_analysis()
q = questionnaire(info.edition)
with db_session() as db:
    answers = analyses.answers_of(db, info.analysis_id, info.rater_id)
    notes = analyses.notes_of(db, info.analysis_id)

step = walkthrough.current_step(q, answers)
subs = q.subcriteria
index = [s.id for s in subs].index(step)
sub = subs[index]
walkthrough.step_navigator(q, answers, step)
walkthrough.scroll_to_top_on_step_change(step)

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
st.caption(f"Schritt {index + 1} von {len(subs)} · {criterion.id} {criterion.title}")
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
        key=walkthrough.answer_key(statement.id),
        on_change=walkthrough.save_answer,
        args=(q, info, statement.id),
        disabled=info.submitted,
    )

note = notes.get(sub.id, analyses.NoteState())
st.text_area(
    "Begründung / Belege",
    value=note.note,
    key=f"assess.note.{sub.id}",
    on_change=walkthrough.save_note,
    args=(q, info, sub.id),
    max_chars=analyses.MAX_NOTE_LENGTH,
    disabled=info.submitted,
    help="Wird gespeichert, sobald Sie das Feld verlassen.",
    placeholder="Worauf stützen Sie Ihre Einschätzung? Was fehlt noch?",
)
st.checkbox(
    "Hier sehen wir Handlungsbedarf",
    value=note.action_needed,
    key=f"assess.flag.{sub.id}",
    on_change=walkthrough.save_flag,
    args=(q, info, sub.id),
    disabled=info.submitted,
)
st.caption("Alle Antworten werden sofort gespeichert.")

with st.container(horizontal=True, horizontal_alignment="distribute"):
    if index > 0:
        st.button("← Zurück", key="assess.prev", on_click=walkthrough.go_to, args=(subs[index - 1].id,))
    else:
        st.space()
    if index < len(subs) - 1:
        next_id = subs[index + 1].id
        st.button("Weiter →", key="assess.next", type="primary", on_click=walkthrough.go_to, args=(next_id,))
    elif st.button("Zur Auswertung →", key="assess.finish", type="primary"):
        st.switch_page("pages/results.py")
