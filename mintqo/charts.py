"""Plotly figures for results, built from domain objects (pure: no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go

from mintqo.domain.scoring import Band, Results, format_score, round_score

FONT = "Source Sans Pro, Arial, sans-serif"
OWN_COLOR = "#1f5fa8"


def _wrap(title: str, width: int = 14) -> str:
    """Break a title onto lines of about `width` characters for axis labels."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def radar_figure(results: Results) -> go.Figure:
    """Radar over all sub-criteria on the 1–4 scale, with the three colour bands as rings."""
    subs = results.subscores
    theta = [f"<b>{s.subcriterion.id}</b> {_wrap(s.subcriterion.title)}" for s in subs]
    fig = go.Figure()
    width = 360 / max(1, len(subs))
    for low, high, band in (
        (1, 2, Band.DEVELOPMENT),
        (2, 3, Band.EXPANDABLE),
        (3, 4, Band.STRENGTH),
    ):
        fig.add_trace(
            go.Barpolar(
                r=[high - low] * len(subs),
                base=[low] * len(subs),
                theta=theta,
                width=[width] * len(subs),
                marker={"color": band.color, "line": {"width": 0}},
                opacity=0.10,
                hoverinfo="skip",
                showlegend=False,
                name=band.value,
            )
        )
    r = [round_score(s.mean) if s.mean is not None else None for s in subs]
    hover = [
        f"<b>{s.subcriterion.label}</b><br>Wert: {format_score(s.mean)}<br>"
        f"aus {s.n_scoring} von {s.n_total} Aussagen"
        for s in subs
    ]
    closed = r + r[:1]
    fig.add_trace(
        go.Scatterpolar(
            r=closed,
            theta=theta + theta[:1],
            mode="lines+markers",
            fill="toself",
            fillcolor="rgba(31, 95, 168, 0.25)",
            line={"color": OWN_COLOR, "width": 3},
            marker={"size": 8},
            name="Ihr Projekt",
            hovertext=hover + hover[:1],
            hoverinfo="text",
            connectgaps=False,
        )
    )
    fig.update_layout(
        polar={
            "radialaxis": {
                "range": [1, 4],
                "tickvals": [1, 2, 3, 4],
                # Draw the 1–4 scale between the first and last axis, not over a data point.
                "angle": 90 + 180 / max(1, len(subs)),
                "tickangle": 0,
                "tickfont": {"size": 12, "color": "#555"},
                "gridcolor": "#bbbbbb",
            },
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "tickfont": {"size": 12},
            },
            "barmode": "overlay",
            "bargap": 0,
        },
        font={"family": FONT},
        margin={"l": 120, "r": 120, "t": 50, "b": 50},
        height=620,
        showlegend=False,
    )
    return fig


def criteria_figure(results: Results) -> go.Figure:
    """Horizontal bars for the main criteria, coloured by band, with the value written on them."""
    crits = [c for c in results.criteria]
    labels = [f"{c.id} {c.title}" for c in crits]
    values = [round_score(c.mean) if c.mean is not None else 0 for c in crits]
    colors = [c.band.color if c.band else "#cccccc" for c in crits]
    text = [format_score(c.mean) for c in crits]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker={"color": colors},
            text=text,
            textposition="inside",
            insidetextanchor="end",
            textfont={"color": "white", "size": 16},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_layout(
        xaxis={
            "range": [0, 4],
            "tickvals": [1, 2, 3, 4],
            "title": "Mittelwert (1–4)",
        },
        yaxis={"autorange": "reversed"},
        font={"family": FONT, "size": 14},
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        height=260,
        shapes=[
            {
                "type": "line",
                "x0": x,
                "x1": x,
                "y0": -0.5,
                "y1": len(crits) - 0.5,
                "line": {"dash": "dot", "color": "#888"},
            }
            for x in (2, 3)
        ],
    )
    return fig
