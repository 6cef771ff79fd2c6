"""Maßnahmen: planned changes per development area, with who, by when and status."""

import streamlit as st

from mintqo.domain.plaintext import md
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
    f"**{md(info.project)}** · {md(info.initiative)} – Was wollen Sie verändern? Halten Sie zu Ihren "
    "Ansatzpunkten fest, was Sie tun, wer es übernimmt und bis wann. In Workshop-Teil 3 und in "
    "der nächsten Runde schauen Sie darauf zurück."
)
options, hints = measure_widgets.subcriterion_options(q, results, notes)
measure_widgets.new_measure_form(q, info, options, hints)

st.subheader("Ihre Maßnahmen")
if not rows:
    st.caption("Noch keine Maßnahmen. Beginnen Sie mit dem wichtigsten Ansatzpunkt.")
else:
    measure_widgets.measures_table(q, info, rows)
    measure_widgets.edit_section(q, info, rows, options, hints)
