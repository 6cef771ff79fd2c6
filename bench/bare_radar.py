"""Baseline for the results-page load benchmark: one plotly radar of 15 axes, no database."""

import plotly.graph_objects as go
import streamlit as st

AXES = [f"<b>X{i + 1}</b> Unterkriterium {i + 1}" for i in range(15)]
VALUES = [2.0 + (i % 5) * 0.4 for i in range(15)]

st.set_page_config(page_title="bare radar", layout="wide")
st.title("Ihre Ergebnisse")
with st.container(key="results-radar"):
    st.plotly_chart(
        go.Figure(
            go.Scatterpolar(
                r=[*VALUES, VALUES[0]], theta=[*AXES, AXES[0]], fill="toself", mode="lines", name="Radar"
            ),
            layout={"polar": {"radialaxis": {"range": [1, 4]}}, "height": 620},
        ),
        width="stretch",
        config={"displayModeBar": False},
    )
