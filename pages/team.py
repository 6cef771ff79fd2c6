"""Team-Abgleich: where team members rated differently, and the values they agreed on."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.domain.team import RULE_TEXT
from mintqo.services import team
from mintqo.ui import bootstrap, page_end, team_widgets, widgets
from mintqo.ui.resources import db_session, questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
with db_session() as db:
    view = team.team_view(db, q, info.analysis_id)

st.title("Team-Abgleich")
st.markdown(f"**{md(info.project)}** · {md(info.initiative)} · Sie bewerten als **{md(info.rater_name)}**")
team_widgets.name_form(info, key="team")
error = st.session_state.pop("team.error", None)
if error:
    st.error(error)

if len(view.raters) < 2:
    st.info(
        "Bisher bewertet nur eine Person. Weitere Teammitglieder öffnen die Startseite, geben unter "
        "„Mit Zugangscode fortsetzen“ denselben Zugangscode und ihren Namen ein und bewerten für sich. "
        "Hier sehen Sie danach, wo Sie auseinanderliegen, und vereinbaren gemeinsame Werte.",
        icon=":material/group:",
    )
    page_end.stop()

answered = {rid: sum(1 for s in view.statements if rid in s.by_rater) for rid in view.raters}
st.markdown(
    "Im Team: " + ", ".join(f"**{md(name)}** ({answered[rid]} Aussagen)" for rid, name in view.raters.items())
)
st.caption(RULE_TEXT + " Auswertung und Gruppenvergleich nutzen diese Werte.")
st.caption(
    "Abweichend heißt: zwei Personen liegen zwei oder mehr Stufen auseinander (z. B. 2 und 4), oder "
    "jemand hat „weiß nicht“ gewählt, wo andere bewertet haben. Sobald Sie einen Wert vereinbart "
    "haben, gilt die Aussage als vereinbart."
)

only_divergent = st.toggle(
    f"Nur abweichende Aussagen zeigen ({view.open_count} offen · {view.agreed_count} vereinbart)",
    value=True,
    key="team.only_divergent",
)
rows = {s.statement_id: s for s in (view.divergent if only_divergent else view.statements)}
if not rows:
    st.success(
        "Keine Abweichungen – Ihr Team ist sich bei allen Aussagen einig.", icon=":material/check_circle:"
    )
elif only_divergent and view.open_count == 0:
    st.success("Alle Abweichungen sind vereinbart.", icon=":material/check_circle:")
for sub in q.subcriteria:
    shown = [rows[st_.id] for st_ in sub.statements if st_.id in rows]
    if not shown:
        continue
    st.subheader(sub.label)
    for row in shown:
        with st.container(border=True, key=f"team-row-{row.statement_id.replace('.', '-')}"):
            team_widgets.statement_row(q, info, view.raters, row)
