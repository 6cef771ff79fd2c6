"""Durchführung: one sub-criterion per step, every answer saved as it is given."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.services import answers
from mintqo.services.walkthrough_view import walkthrough_view
from mintqo.ui import bootstrap, conflicts, finish_widgets, step_style, walkthrough, widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
# Read after this run's autosave callbacks: the screen shows what the database holds.
with db_session() as db:
    view = walkthrough_view(db, info.analysis_id, info.rater_id)
stored, notes = view.answers, view.notes
step = walkthrough.current_step(q, stored)
subs = q.subcriteria
index = [s.id for s in subs].index(step)
sub = subs[index]
conflicts.check_run(info, stored, notes)
walkthrough.seed_from_database(sub, stored, notes.get(sub.id, answers.NoteState()))
walkthrough.step_navigator(q, stored, step)
walkthrough.scroll_to_top_on_step_change(step)
if info.members > 1:
    st.caption(
        f"Sie bewerten als **{md(info.rater_name)}**, unabhängig von den anderen im Team. Alle Bewertungen "
        "nebeneinander sehen Sie danach im Team-Abgleich; Notizen und Handlungsbedarf teilt das Team."
    )

walkthrough.step_form(q, info, sub, f"Schritt {index + 1} von {len(subs)}", stored)
step_style.answer_legend(q)

st.text_area(
    "Begründung / Belege",
    key=walkthrough.note_key(sub.id),
    on_change=walkthrough.save_note,
    args=(q, info, sub.id),
    disabled=info.submitted,
    help="Wird gespeichert, sobald Sie das Feld verlassen.",
    placeholder="Worauf stützen Sie Ihre Einschätzung? Was fehlt noch?",
)
if sub.id in st.session_state.get(walkthrough.PENDING_NOTES, {}):
    st.button(
        "Erneut speichern",
        key=f"assess.retry_note.{sub.id}",
        icon=":material/cloud_upload:",
        on_click=walkthrough.retry_note,
        args=(q, info, sub.id),
    )
st.checkbox(
    "Hier sehen wir Handlungsbedarf",
    key=walkthrough.flag_key(sub.id),
    on_change=walkthrough.save_flag,
    args=(q, info, sub.id),
    disabled=info.submitted,
)
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
        st.button("Weiter →", key="assess.next", type="primary", on_click=walkthrough.go_to, args=(next_id,))
    else:
        finish_widgets.last_step(info, q, stored)
