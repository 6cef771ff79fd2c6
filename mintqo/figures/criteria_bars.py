"""Bars of the main criteria with the group's median and middle 50 % (pure: no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go

from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.histograms import AxisStat, criterion_item
from mintqo.domain.scoring import Results, format_score, round_score
from mintqo.figures.charts import AXIS_INK, FONT, GUIDE_COLOR, MEDIAN_COLOR


def criteria_figure(
    results: Results, band: GroupPicture | None = None, *, band_name: str = "Gruppe"
) -> go.Figure:
    """Horizontal bars for the main criteria, coloured by band, with the value written on them.

    Bars start at the scale's minimum 1 (the axis runs 1–4), so their length is the score.
    With `band`, the group's median and middle 50 % are drawn on each bar that passed the threshold.
    """
    crits = [c for c in results.criteria]
    # The band's name stands under each label (not colour alone) and the bar holds only the value,
    # so nothing is cut off in a narrow column.
    labels = [f"{c.id} {c.title}<br>{c.band.value if c.band else 'ohne Bewertung'}" for c in crits]
    values = [round_score(c.mean) - 1 if c.mean is not None else 0 for c in crits]
    colors = [c.band.color if c.band else "#6b6b6b" for c in crits]
    text = [format_score(c.mean) if c.band else "–" for c in crits]
    fig = go.Figure(
        go.Bar(
            x=values,
            base=[1] * len(crits),
            y=labels,
            orientation="h",
            marker={"color": colors},
            text=text,
            textposition="auto",  # inside where it fits, else (a value near 1) just outside
            insidetextanchor="start",  # keeps the value clear of the group median mark at the end
            insidetextfont={"color": "white", "size": 16},
            outsidetextfont={"color": "#333", "size": 16},
            hovertemplate="%{y}: %{text}<extra></extra>",
            name="Ihr Projekt",
        )
    )
    if band is not None:
        stats = [(lab, band.axes.get(criterion_item(c.id))) for lab, c in zip(labels, crits, strict=True)]
        shown = [(lab, a) for lab, a in stats if isinstance(a, AxisStat) and a.median is not None]
        fig.add_trace(
            go.Scatter(
                x=[a.median for _, a in shown],
                y=[lab for lab, _ in shown],
                mode="markers",
                marker={"symbol": "line-ns", "size": 30, "line": {"width": 3, "color": MEDIAN_COLOR}},
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": [(a.q3 or 0) - (a.median or 0) for _, a in shown],
                    "arrayminus": [(a.median or 0) - (a.q1 or 0) for _, a in shown],
                    "color": MEDIAN_COLOR,
                    "thickness": 2,
                    "width": 8,
                },
                name=f"{band_name}: Median und mittlere 50 %",
                hovertext=[
                    f"{band_name}: Median {format_score(a.median)}, mittlere 50 % "
                    f"{format_score(a.q1)}–{format_score(a.q3)}, n = {a.n}"
                    for _, a in shown
                ],
                hoverinfo="text",
            )
        )
    fig.update_layout(
        showlegend=band is not None,
        legend={"orientation": "h", "y": -0.35, "x": 0},
        xaxis={
            "range": [1, 4],
            "tickvals": [1, 2, 3, 4],
            "title": "Mittelwert (1–4)",
        },
        yaxis={"autorange": "reversed"},
        font={"family": FONT, "size": 14, "color": AXIS_INK},
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        height=300 if band is not None else 260,
        shapes=[
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "y0": -0.5,
                "y1": len(crits) - 0.5,
                "line": {"dash": "dot", "color": GUIDE_COLOR},
            }
            for x in (2, 3)
        ],
    )
    return fig
