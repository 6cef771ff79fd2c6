"""Baseline for the interaction benchmark: the walkthrough's widgets on a bare page, no database."""

import os

import streamlit as st

from mintqo.ui.gc_freeze import freeze_imported_objects

# The second baseline: the same page tuned like the app (gc.freeze of imported objects).
if os.environ.get("MINTQO_BENCH_FREEZE") == "1":
    freeze_imported_objects()

OPTIONS = ("1", "2", "3", "4", "na", "dk")
LABELS = dict(
    zip(
        OPTIONS,
        ("trifft nicht zu", "eher nicht", "eher zu", "trifft voll zu", "n. z.", "weiß nicht"),
        strict=True,
    )
)

with st.sidebar:
    for i in range(15):
        st.button(f"○ X{i} Unterkriterium {i}", key=f"nav.{i}", width="stretch", type="tertiary")
answered = sum(1 for i in range(4) if st.session_state.get(f"q.{i}"))
st.progress(answered / 60, text=f"{answered} von 60 Aussagen beantwortet")
st.caption("Schritt 1 von 15 · A Angebotsqualität")
st.header("A1 Bedarf und Ausgangslage")
st.markdown("Hier geht es um die Frage, warum es Ihr Angebot überhaupt braucht. " * 3)
with st.expander("Praxisbeispiel"):
    st.markdown("Ein Beispiel. " * 10)
with st.expander("Was bedeuten die Antworten?"):
    st.markdown("\n".join(f"- **{v}**" for v in LABELS.values()))
for i in range(4):
    st.radio(
        f"A1.{i + 1} Eine Aussage zum Bewerten",
        OPTIONS,
        index=None,
        format_func=LABELS.__getitem__,
        horizontal=True,
        key=f"q.{i}",
    )
st.text_area("Begründung / Belege", key="note")
st.checkbox("Hier sehen wir Handlungsbedarf", key="flag")
st.caption("Alle Antworten werden sofort gespeichert.")
left, right = st.columns(2)
left.button("← Zurück", key="prev")
right.button("Weiter →", key="next", type="primary")
