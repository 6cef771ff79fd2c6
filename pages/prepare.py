"""Vorbereitung: what the analysis is, who takes part, what to have at hand."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.ui import bootstrap, widgets
from mintqo.ui.resources import questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)

st.title("Vorbereitung")
st.markdown(f"**{md(info.project)}** · {md(info.initiative)} · Fragebogen: {q.short_title}")
st.markdown(q.description)

st.subheader("So läuft die Selbstanalyse ab")
st.markdown(
    f"""
1. **Vorbereitung** – Sie lesen diese Seite und klären, wer mitmacht.
2. **Durchführung** – {len(q.subcriteria)} Schritte, einer pro Unterkriterium, mit insgesamt
   {q.statement_count} Aussagen. Zu jedem Schritt gibt es eine kurze Erklärung und ein Praxisbeispiel.
3. **Nachbereitung** – auf der Seite „Ergebnisse“ sehen Sie Ihre Stärken und Entwicklungsfelder
   und schließen die Analyse ab.

Planen Sie insgesamt etwa 60–90 Minuten ein; Sie können jederzeit unterbrechen.
"""
)

left, right = st.columns(2)
with left:
    st.subheader("Wer sollte mitmachen?")
    st.markdown(
        "- die Projektleitung\n"
        "- ein bis vier Menschen, die das Angebot durchführen (auch Ehrenamtliche)\n"
        "- wenn möglich jemand mit Blick auf Finanzen und Organisation"
    )
with right:
    st.subheader("Was Sie bereithalten sollten")
    st.markdown(
        "- Konzept oder Projektbeschreibung\n"
        "- Teilnehmendenzahlen und Rückmeldungen\n"
        "- Förderanträge, Berichte, Kooperationsvereinbarungen"
    )

st.subheader("Die Bewertungsskala")
st.markdown(
    "\n".join(f"- **{o.label}**" + ("" if o.score else " – zählt nicht in den Mittelwert") for o in q.scale)
)
st.caption(
    "„Nicht zutreffend“ und „weiß nicht“ zählen nie als null. „Weiß nicht“ erscheint in der "
    "Auswertung als offener Punkt, den Sie im Team klären können."
)

if st.button("Los geht’s: zur Durchführung", type="primary", key="prepare.go"):
    st.switch_page("pages/assess.py")
