"""Durchführung: one sub-criterion per step, every answer saved as it is given (the step is a fragment)."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.services.walkthrough_view import walkthrough_view
from mintqo.ui import bootstrap, step_fragment, walkthrough, widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
# Read after this run's autosave callbacks: the screen shows what the database holds.
with db_session() as db:
    view = walkthrough_view(db, info.analysis_id, info.rater_id)
stored = view.answers
step = walkthrough.current_step(q, stored)
walkthrough.step_navigator(q, stored, step)
if info.members > 1:
    st.caption(
        f"Sie bewerten als **{md(info.rater_name)}**, unabhängig von den anderen im Team. Alle Bewertungen "
        "nebeneinander sehen Sie danach im Team-Abgleich; Notizen und Handlungsbedarf teilt das Team."
    )
step_fragment.show(q, step, info, view)
# Last: an element that comes and goes must not move the step's place on the page between runs.
walkthrough.scroll_to_top_on_step_change(step)
