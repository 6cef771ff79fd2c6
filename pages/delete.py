"""Daten löschen: one round, the project, or all of the initiative's data – with a confirmation."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.services import deletion
from mintqo.ui import bootstrap, logout, page_end, state, widgets
from mintqo.ui.resources import db_session

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
with db_session() as db:
    choices = deletion.choices(db, info.analysis_id)

st.title("Daten löschen")
st.markdown(
    f"**{md(info.project)}** · {md(info.initiative)}  \n"
    "Hier löschen Sie Ihre Daten endgültig aus mintqo – für das ganze Team. Gelöschtes lässt sich "
    "nicht wiederherstellen."
)
with st.container(border=True):
    st.markdown(
        "- **Gruppenbilder:** Ist Ihre Analyse in einem freigegebenen Gruppenbild enthalten, wird dieses "
        "Gruppenbild zurückgezogen und aus den Vergleichen der Region und aller Gruppen herausgerechnet. "
        "Die Moderation kann danach ein neues Gruppenbild ohne Ihre Daten freigeben, sobald das anonym "
        "möglich ist.\n"
        "- **Schon weitergegeben:** Heruntergeladene Dateien und bereits an die Bundesebene übermittelte "
        "Datenpakete (nur Summen, keine Antworten) kann mintqo nicht zurückholen; künftige Exporte "
        "enthalten Ihre Daten nicht mehr.\n"
        "- **Vorher sichern?** Auf der Seite „Ergebnisse“ können Sie den PDF-Bericht und Ihre Antworten "
        "als Excel-Datei herunterladen."
    )
st.page_link("pages/results.py", label="Zu den Ergebnissen und Downloads", icon=":material/download:")

labels = {c.kind: c.title for c in choices}
kind = st.radio(
    "Was möchten Sie löschen?",
    list(labels),
    format_func=lambda k: md(labels[k]),
    key="delete.kind",
)
chosen = next(c for c in choices if c.kind == kind)
st.caption(md(chosen.detail))

with st.form("delete.confirm"):
    typed = st.text_input(
        f"Zur Bestätigung bitte „{md(chosen.confirm_word)}“ eintippen",
        key="delete.typed",
        autocomplete="off",
    )
    go = st.form_submit_button("Endgültig löschen", type="primary", icon=":material/delete_forever:")

if go:
    if not deletion.confirmed(chosen, typed):
        st.error(
            f"Die Eingabe stimmt nicht mit „{md(chosen.confirm_word)}“ überein – es wurde nichts gelöscht."
        )
        page_end.stop()
    try:
        with db_session() as db:
            done = deletion.delete_data(db, info.analysis_id, chosen.kind)
    except deletion.DeletionError as exc:
        st.error(str(exc))
        page_end.stop()
    logout.close_analysis()
    st.session_state[state.NOTICE] = done.message
    st.switch_page("pages/start.py")
