"""Maßnahmen: planned changes per development area, with who, by when and status."""

import streamlit as st

from mintqo.domain.measures import STATUSES, validate_measure
from mintqo.domain.scoring import score_analysis
from mintqo.services import measures, team
from mintqo.services.answers import notes_of
from mintqo.ui import bootstrap, measure_widgets, widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
with db_session() as db:
    results = score_analysis(q, team.counting_answers(db, q, info.analysis_id))
    notes = notes_of(db, info.analysis_id)
    rows = measures.measures_of(db, info.project_id)

st.title("Maßnahmen")
st.markdown(
    f"**{info.project}** · {info.initiative} – Was wollen Sie verändern? Halten Sie zu Ihren "
    "Entwicklungsfeldern fest, was Sie tun, wer es übernimmt und bis wann. In Workshop-Teil 3 und in "
    "der nächsten Runde schauen Sie darauf zurück."
)
options, hints = measure_widgets.subcriterion_options(q, results, notes)

with st.form("measures.new", clear_on_submit=True):
    st.subheader("Neue Maßnahme")
    sub_id = st.selectbox(
        "Unterkriterium *",
        options,
        format_func=lambda i: q.subcriterion(i).label + hints.get(i, ""),
        key="measures.sub",
    )
    what = st.text_input(
        "Was? *", max_chars=300, key="measures.what", placeholder="z. B. Vorher-Nachher-Fragebogen"
    )
    who_col, due_col, status_col = st.columns(3)
    who = who_col.text_input("Wer?", max_chars=120, key="measures.who")
    due = due_col.date_input("Bis wann?", value=None, format="DD.MM.YYYY", key="measures.due")
    status = status_col.selectbox("Status", STATUSES, key="measures.status")
    note = st.text_area("Notiz", max_chars=2000, key="measures.note", height=80)
    added = st.form_submit_button("Maßnahme speichern", type="primary")
if added:
    spec, errors = validate_measure(sub_id, what, who, due, status, note)
    if spec is None:
        for message in errors.values():
            st.error(message)
    else:
        with db_session() as db:
            measures.add_measure(db, q, info.analysis_id, spec)
        st.toast("Maßnahme gespeichert.", icon=":material/task_alt:")
        st.rerun()

st.subheader("Ihre Maßnahmen")
if not rows:
    st.caption("Noch keine Maßnahmen. Beginnen Sie mit dem wichtigsten Entwicklungsfeld.")
else:
    measure_widgets.measures_table(q, info, rows)
