"""Vorbereitung: how to work on the analysis as a team – who rates, how to agree, how long it takes."""

import streamlit as st

from mintqo.domain.plaintext import md
from mintqo.ui import bootstrap, team_widgets, widgets
from mintqo.ui.resources import questionnaire

bootstrap.ensure_app_navigation()

info = widgets.require_analysis()
q = questionnaire(info.edition)
steps, statements = len(q.subcriteria), q.statement_count

st.title("Vorbereitung")
st.markdown(f"**{md(info.project)}** · {md(info.initiative)}")
st.markdown(
    f"Sie schauen in {steps} Schritten mit zusammen {statements} Aussagen auf Ihr Projekt. "
    "Am meisten bringt die Selbstanalyse, wenn mehrere aus dem Team mitmachen: Wo Sie "
    "unterschiedlich urteilen, lohnt sich das Gespräch."
)

st.subheader("So arbeiten Sie als Team")
st.markdown(
    """
1. **Wer bewertet?** Die Projektleitung und ein bis vier Menschen, die das Angebot durchführen –
   auch Ehrenamtliche. Wenn möglich jemand mit Blick auf Finanzen und Organisation.
2. **Jede Person bewertet für sich.** Geben Sie den Zugangscode an Ihr Team weiter. Wer mitmacht,
   öffnet die Startseite, wählt „Mit Zugangscode fortsetzen“ und gibt den Code und den eigenen
   Vornamen ein. So sieht niemand vorher, wie die anderen geurteilt haben.
3. **Abweichungen besprechen.** Im **Team-Abgleich** sehen Sie alle Bewertungen nebeneinander.
   Wo Sie zwei oder mehr Stufen auseinanderliegen, sprechen Sie darüber und tragen einen
   gemeinsamen Wert mit kurzer Begründung ein. Ohne vereinbarten Wert zählt die mittlere Bewertung.
4. **Abschließen.** Wenn alles besprochen ist, schließt eine Person die Selbstanalyse auf der
   Seite „Ergebnisse“ ab. Erst dann zählt sie für den Gruppenvergleich im Workshop.
"""
)

left, right = st.columns(2)
with left:
    st.subheader("Wie lange dauert es?")
    st.markdown(
        f"- allein: etwa 60–90 Minuten für alle {statements} Aussagen\n"
        "- im Team: dazu etwa eine Stunde für den gemeinsamen Abgleich\n"
        "- Sie können jederzeit unterbrechen: jede Antwort ist sofort gespeichert"
    )
with right:
    st.subheader("Was Sie bereithalten sollten")
    st.markdown(
        "- Konzept oder Projektbeschreibung\n"
        "- Teilnehmendenzahlen und Rückmeldungen\n"
        "- Förderanträge, Berichte, Kooperationsvereinbarungen"
    )

st.subheader("Ihr Name im Team")
team_widgets.name_form(info, key="prepare")

st.subheader("Die Bewertungsskala")
st.markdown(
    "\n".join(f"- **{o.label}**" + ("" if o.score else " – zählt nicht in den Wert") for o in q.scale)
)
st.caption(
    "„Nicht zutreffend“ und „weiß nicht“ zählen nie als null. „Weiß nicht“ erscheint in der "
    "Auswertung als offener Punkt, den Sie im Team klären können."
)

if st.button("Los geht’s: zur Durchführung", type="primary", key="prepare.go"):
    st.switch_page("pages/assess.py")
