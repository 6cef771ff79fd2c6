"""Walkthrough presentation details: statement size, the step list's look, the answer legend."""

from __future__ import annotations

import streamlit as st

from mintqo.domain.questionnaire import Questionnaire

# Statements are what people rate: at least as large as the explanation above them (16 px, not 14).
# The step list is a radio group for the keyboard, but ✓ / ◐ / ○ already say the state: the radio
# circle goes; the current step is shown by weight and a bar, focus by an outline.
_CSS = """<style>
[data-testid="stMain"] [data-testid="stRadio"] > label[data-testid="stWidgetLabel"] p {
  font-size: 1rem; font-weight: 600; line-height: 1.45;
}
[data-testid="stSidebar"] [data-testid="stRadioOption"] > div > div:not([data-testid="stMarkdownContainer"]) {
  display: none;
}
[data-testid="stSidebar"] [data-testid="stRadioOption"] {
  padding: 0.15rem 0.4rem; border-left: 3px solid transparent; border-radius: 0.25rem;
}
[data-testid="stSidebar"] [data-testid="stRadioOption"][data-selected="true"] {
  border-left-color: #1f5fa8; font-weight: 700; background: rgba(31, 95, 168, 0.08);
}
[data-testid="stSidebar"] [data-testid="stRadioOption"]:has(input:focus-visible) {
  outline: 2px solid #1f5fa8; outline-offset: 1px;
}
</style>"""


def style() -> None:
    """Apply the walkthrough's CSS (no layout space, no script)."""
    st.html(_CSS)


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
