"""Walkthrough presentation details: the statements' size and the answer legend."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.questionnaire import Questionnaire

# Statements are what people rate: at least as large as the explanation above them (16 px, not 14).
# Sent with the step's focus script (walkthrough.step_navigator), not as an element of its own.
CSS = """<style>
[data-testid="stMain"] [data-testid="stRadio"] > label[data-testid="stWidgetLabel"] p {
  font-size: 1rem; font-weight: 600; line-height: 1.45;
}
</style>"""


def answer_legend(q: Questionnaire) -> None:
    """Right under the statements: what the short non-scoring options mean, always visible."""
    by_value = {o.value: o for o in q.scale}
    parts = []
    if "na" in by_value:
        parts.append(f"**{by_value['na'].short}** = {by_value['na'].label}: zählt nicht in den Wert")
    if "dk" in by_value:
        parts.append(
            f"**{by_value['dk'].short}** = im Team klären: zählt nicht in den Wert und steht in der "
            "Auswertung als offener Punkt"
        )
    if parts:
        st.caption(" · ".join(parts))
