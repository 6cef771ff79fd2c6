"""How group figures stay anonymous, in plain German (docs/privacy.md is the full threat model)."""

import streamlit as st

from mintqo.domain.anonymity import DEFAULT_K, gate
from mintqo.ui import bootstrap

bootstrap.ensure_app_navigation()

k = DEFAULT_K
st.title("Wie mintqo die Gruppenzahlen schützt")
st.markdown(
    f"""
Ihre einzelnen Antworten sieht nur Ihr Team – wer den Zugangscode Ihres Projekts hat. Alle anderen
sehen nur **Gruppenzahlen**: Median, mittlere 50 %, Verteilungen, Zählungen. mintqo geht davon aus,
dass jemand versucht, aus diesen Zahlen Ihre Antworten herauszurechnen – etwa Teilnehmende, die ihre
eigenen Antworten kennen und sich absprechen, oder jemand, der mit dem Gruppen-Code selbst Analysen
anlegt. Dagegen gelten diese Regeln (Beispiel: Anonymitätsschwelle k = {k}):

1. **Jeder Wert ruht auf mindestens {gate(k)} Bewertungen** (2k − 1). Auch wer {k - 1} Antworten
   kennt und abzieht, hat noch {k} unbekannte vor sich. Es zählen nur Bewertungen von 1 bis 4;
   „nicht zutreffend“, „weiß nicht“ und offene Aussagen zählen nicht mit. Was darunter liegt, wird
   nicht gezeigt – nur der Hinweis „zu wenige Bewertungen“, ohne die kleine Zahl selbst.
2. **Ein Gruppenbild pro Runde, endgültig.** Die Moderation gibt das Bild einer Runde einmal frei;
   es wird nie ersetzt. Löscht eine Initiative ihre Daten, wird das Bild zurückgezogen und für diese
   Runde nicht neu erstellt – sonst zeigte der Unterschied die gelöschten Antworten.
3. **Eine neue Runde vergleicht dieselben Projekte.** Das Gruppenbild einer späteren Runde umfasst
   die Projekte des vorigen Bildes: wer keine neue Selbstanalyse abgeschlossen hat, zählt mit dem
   Stand der vorigen Runde; wer damals nicht dabei war, kommt nicht hinzu. Es braucht mindestens
   {gate(k)} neue Analysen – der Vergleich der Runden zeigt dann nur, dass sich *einige* verändert
   haben, nicht wer. Hat jemand Daten aus einem früheren Bild gelöscht, gibt es kein neues.
4. **Region und alle Gruppen** sind Summen ganzer, schon geprüfter Gruppenbilder; zurückgehaltene
   Werte gehen nicht hinein. Das nationale Datenpaket enthält nur diese Summen – keine Antworten,
   keine Namen, keine freien Texte.
5. **Die Moderation sieht keinen Fortschritt in Zahlen**, nur „noch nicht begonnen“, „in Bearbeitung“
   und „abgeschlossen“.
6. **Alle sehen, worauf ein Bild ruht:** Zahl der Analysen, Tage des Beitritts und das
   Freigabeprotokoll der Gruppe. Stimmt die Zahl nicht mit den Initiativen überein, die Sie aus dem
   Workshop kennen, sprechen Sie die Moderation an.

**Was bleibt:** Haben alle unbekannten Initiativen eine Aussage gleich bewertet, zeigt die
Verteilung genau das – eine Aussage über die Gruppe, nicht über eine einzelne Initiative. Wer mehr
als {k - 1} Analysen selbst anlegt, könnte mehr herausrechnen; das zeigt sich in der Zahl der
Analysen und im Freigabeprotokoll, das alle sehen.
"""
)
