"""Baseline for the results-page load benchmark: one plotly radar of 15 axes, no database.

`?figure=app` draws the results page's own radar figure instead (charts.radar_figure with the own
profile and a group median, from constant inputs): the same figure, so only the page around it differs.
"""

import plotly.graph_objects as go
import streamlit as st

AXES = [f"<b>X{i + 1}</b> Unterkriterium {i + 1}" for i in range(15)]
VALUES = [2.0 + (i % 5) * 0.4 for i in range(15)]


def simple_figure() -> go.Figure:
    """One filled polygon, no rings, no group."""
    return go.Figure(
        go.Scatterpolar(
            r=[*VALUES, VALUES[0]], theta=[*AXES, AXES[0]], fill="toself", mode="lines", name="Radar"
        ),
        layout={"polar": {"radialaxis": {"range": [1, 4]}}, "height": 620},
    )


def app_figure() -> go.Figure:
    """The results page's radar as it first shows: own profile, rings and the group's median."""
    from bench.bench_db import questionnaire
    from mintqo.domain.anonymity import GroupPicture
    from mintqo.domain.histograms import AxisStat, sub_item
    from mintqo.domain.scoring import score_analysis
    from mintqo.figures import charts

    q = questionnaire()
    values = "1234"
    answers = {
        s.id: values[i % 4] for i, s in enumerate(st_ for sub in q.subcriteria for st_ in sub.statements)
    }
    axes = {
        sub_item(s.id): AxisStat(sub_item(s.id), 8, 2.0, 2.5 + (i % 3) * 0.25, 3.0)
        for i, s in enumerate(q.subcriteria)
    }
    band = GroupPicture("Gruppe", 8, 5, axes, {})
    return charts.radar_figure(score_analysis(q, answers), band, band_name="Workshopgruppe", show_band=False)


st.set_page_config(page_title="bare radar", layout="wide")
st.title("Ihre Ergebnisse")
with st.container(key="results-radar"):
    st.plotly_chart(
        app_figure() if st.query_params.get("figure") == "app" else simple_figure(),
        width="stretch",
        config={"displayModeBar": False},
    )
