"""Durchführung: one sub-criterion per step, every answer saved as it is given."""

import streamlit as st

from mintqo.domain.progress import step_state
from mintqo.services import analyses
from mintqo.services.answers import answers_of, notes_of
from mintqo.ui import bootstrap, walkthrough, widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
with db_session() as db:
    answers = answers_of(db, info.analysis_id, info.rater_id)
    notes = notes_of(db, info.analysis_id)

step = walkthrough.current_step(q, answers)
subs = q.subcriteria
index = [s.id for s in subs].index(step)
sub = subs[index]
walkthrough.step_navigator(q, answers, step)
walkthrough.scroll_to_top_on_step_change(step)
if info.members > 1:
    st.caption(
        f"Sie bewerten als **{info.rater_name}**, unabhängig von den anderen im Team. Alle Bewertungen "
        "nebeneinander sehen Sie danach im Team-Abgleich; Notizen und Handlungsbedarf teilt das Team."
    )

walkthrough.step_form(q, info, sub, f"Schritt {index + 1} von {len(subs)}", step_state(sub, answers))

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
if not info.submitted:
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
