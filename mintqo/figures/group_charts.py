"""Plotly figures of released group pictures: radar, criterion bars, statement distributions.

Every figure takes a GroupPicture (or statement views) that already passed the anonymity
rules; withheld parts are labelled with the threshold message instead of being drawn.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go

from mintqo.domain.anonymity import GroupPicture, StatementView, Withheld
from mintqo.domain.histograms import AxisStat, criterion_item, sub_item
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, format_score, round_score
from mintqo.figures.answer_colors import ANSWER_COLORS, SEGMENT_GAP, label_ink
from mintqo.figures.charts import (
    BAND_OUTLINE,
    FONT,
    MEDIAN_COLOR,
    OWN_COLOR,
    _theta,
    _wrap,
    band_rings,
    group_band_traces,
    polar_layout,
)

INK = "#111111"
FILL = "fill"  # a figure height: as high as the container it is drawn in (the slides)


def _guide(x: float) -> dict[str, object]:
    """A dotted line at a scale value, drawn under the median labels."""
    spec = {"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "yref": "paper", "layer": "below"}
    return {**spec, "line": {"dash": "dot", "color": "#6e6e6e"}}


def _fit(fig: go.Figure, height: int | str | None) -> None:
    """Leave the height to the container when asked to fill it."""
    if height == FILL:
        fig.update_layout(autosize=True, height=None)


def group_radar(
    q: Questionnaire,
    pic: GroupPicture,
    *,
    scale: float = 1.0,
    height: int | str = 620,
    legend: bool = True,
) -> go.Figure:
    """The group's median and interquartile range over all sub-criteria (no single project).

    height FILL: as high as the container it is drawn in (the slides size it to the screen).
    """
    subs = q.subcriteria
    theta = _theta(subs)
    fig = go.Figure(data=[band_rings(theta), *group_band_traces(subs, pic, name="Gruppe")])
    fig.update_layout(
        polar=polar_layout(len(subs), scale=scale, ink=INK),
        showlegend=legend,
        font={"family": FONT, "size": 13 * scale, "color": INK},
        # The legend has a row of its own at the top: in a corner it covered an axis label on tablets.
        margin={"l": 150 * scale, "r": 150 * scale, "t": (90 if legend else 50) * scale, "b": 62 * scale},
        height=height if isinstance(height, int) else None,
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            "x": 0.0,
            "xanchor": "left",
            "font": {"size": 13 * scale},
        },
    )
    _fit(fig, height)
    return fig


def criterion_figure(
    q: Questionnaire,
    pic: GroupPicture,
    crit_id: str,
    own: Results | None = None,
    *,
    scale: float = 1.0,
    height: int | str | None = None,
) -> go.Figure:
    """Per sub-criterion and the criterion: IQR bar and median (height: None fits the rows, or FILL)."""
    crit = next(c for c in q.criteria if c.id == crit_id)
    rows = [(sub_item(s.id), f"<b>{s.id}</b> {_wrap(s.title, 28)}") for s in crit.subcriteria]
    rows.append((criterion_item(crit.id), f"<b>{crit.id} gesamt</b>"))
    fig = go.Figure()
    labels = [label for _, label in rows]
    stats = [pic.axes.get(item) for item, _ in rows]
    drawn = [(lab, a) for lab, a in zip(labels, stats, strict=True) if isinstance(a, AxisStat) and a.n]
    fig.add_trace(
        go.Bar(
            y=[lab for lab, _ in drawn],
            x=[max((a.q3 or 0) - (a.q1 or 0), 0.03) for _, a in drawn],
            base=[(a.q1 or 0) - (0.015 if a.q1 == a.q3 else 0) for _, a in drawn],
            orientation="h",
            marker={"color": "rgba(90, 90, 110, 0.35)", "line": {"width": 1.5, "color": BAND_OUTLINE}},
            name="mittlere 50 % der Gruppe",
            hoverinfo="skip",
            width=0.55,
        )
    )
    fig.add_trace(
        go.Scatter(
            y=[lab for lab, _ in drawn],
            x=[a.median for _, a in drawn],
            mode="markers+text",
            marker={"symbol": "line-ns", "size": 24 * scale, "line": {"width": 4, "color": MEDIAN_COLOR}},
            text=[f"<b>{format_score(a.median)}</b>  (n = {a.n})" for _, a in drawn],
            textposition="top center",
            textfont={"size": 15 * scale, "color": INK},
            name="Median der Gruppe",
            hoverinfo="skip",
        )
    )
    if own is not None:
        own_vals = {sub_item(s.subcriterion.id): s.mean for s in own.subscores}
        own_vals.update({criterion_item(c.id): c.mean for c in own.criteria})
        pairs = [(lab, own_vals.get(item)) for (item, _), lab in zip(rows, labels, strict=True)]
        mine = [(lab, v) for lab, v in pairs if v is not None]
        fig.add_trace(
            go.Scatter(
                y=[lab for lab, _ in mine],
                x=[round_score(v) for _, v in mine],
                mode="markers",
                marker={"symbol": "diamond", "size": 16 * scale, "color": OWN_COLOR},
                name="Sie sind hier",
                hovertext=[f"Ihr Wert: {format_score(v)}" for _, v in mine],
                hoverinfo="text",
            )
        )
    for lab, a in zip(labels, stats, strict=True):
        if isinstance(a, Withheld):
            fig.add_annotation(
                x=2.5, y=lab, text=a.message, showarrow=False, font={"size": 13 * scale, "color": "#4d5461"}
            )
    fig.update_layout(
        xaxis={
            "range": [0.9, 4.1],
            "tickvals": [1, 2, 3, 4],
            "title": {"text": "Wert (1–4)", "font": {"size": 13 * scale, "color": INK}},
            "gridcolor": "#dddddd",
            "tickfont": {"size": 14 * scale, "color": INK},
        },
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": labels,
            "type": "category",
            "tickfont": {"size": 14 * scale, "color": INK},
        },
        font={"family": FONT, "size": 14 * scale, "color": INK},
        height=height if isinstance(height, int) else int(110 + 95 * len(rows)),
        margin={"l": 10, "r": 20, "t": 20, "b": 60},
        legend={
            "orientation": "h",
            "y": -0.18 if scale < 1.3 else -0.12,
            "x": 0,
            "font": {"size": 14 * scale},
        },
        shapes=[_guide(x) for x in (2, 3)],
        plot_bgcolor="white",
    )
    _fit(fig, height)
    return fig


def statements_figure(
    q: Questionnaire,
    views: list[StatementView],
    own_answers: Mapping[str, str] | None = None,
    *,
    scale: float = 1.0,
    height: int | str | None = None,
) -> go.Figure:
    """Stacked bars: how the group answered each statement (height: None fits the rows, or FILL)."""
    wrap = 46 if scale < 1.3 else 40
    labels = [f"<b>{v.statement_id}</b> {_wrap(q.statement(v.statement_id).text, wrap)}" for v in views]
    fig = go.Figure()
    for opt in q.scale:
        counts = [(v.counts or {}).get(opt.value, 0) if v.counts else None for v in views]
        fig.add_trace(
            go.Bar(
                y=labels,
                x=counts,
                orientation="h",
                name=opt.short,
                marker={"color": ANSWER_COLORS.get(opt.value, "#6b6b6b"), "line": SEGMENT_GAP},
                text=[f"<b>{c}</b>" if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"size": 14 * scale, "color": label_ink(ANSWER_COLORS.get(opt.value, "#999999"))},
                hovertemplate=f"{opt.label}: %{{x}}<extra></extra>",
            )
        )
    for lab, v in zip(labels, views, strict=True):
        if v.withheld is not None:
            fig.add_annotation(x=0, xanchor="left", y=lab, text=v.withheld.message, showarrow=False)
        elif own_answers and own_answers.get(v.statement_id):
            own = q.option(own_answers[v.statement_id]).short
            fig.add_annotation(
                x=1.0, xref="paper", xanchor="left", y=lab, text=f"Sie: {own}", showarrow=False,
                font={"color": OWN_COLOR, "size": 13 * scale},
            )  # fmt: skip
    fig.update_layout(
        barmode="stack",
        yaxis={"autorange": "reversed", "type": "category", "tickfont": {"size": 13 * scale, "color": INK}},
        xaxis={
            "title": {"text": "Anzahl Analysen", "font": {"size": 13 * scale, "color": INK}},
            "dtick": 1,
            "tickfont": {"size": 13 * scale, "color": INK},
        },
        font={"family": FONT, "size": 13 * scale, "color": INK},
        height=height if isinstance(height, int) else int(120 + 70 * len(views)),
        margin={"l": 10, "r": 110 if own_answers else 20, "t": 10, "b": 50},
        legend={
            "orientation": "h",
            "y": -0.25 if scale < 1.3 else -0.15,
            "x": 0,
            "traceorder": "normal",
            "font": {"size": 13 * scale},
        },
        plot_bgcolor="white",
    )
    _fit(fig, height)
    return fig


def heatmap_figure(q: Questionnaire, hists: Mapping[str, Mapping[str, int]], pic: GroupPicture) -> go.Figure:
    """All statements × answers as shares of the group: where the group agrees and where not.

    Rows go through the same per-statement threshold as the drill-down; withheld rows stay empty.
    """
    views = [v for sub in q.subcriteria for v in pic.statements(q, sub.id, hists)]
    values = [o.value for o in q.scale]
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for v in views:
        if v.counts is None:
            z.append([None] * len(values))
            text.append(["–"] * len(values))
            continue
        total = sum(v.counts.get(x, 0) for x in values) or 1
        z.append([100 * v.counts.get(x, 0) / total for x in values])
        text.append([str(v.counts.get(x, 0)) for x in values])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[o.short for o in q.scale],
            y=[v.statement_id for v in views],
            text=text,
            texttemplate="%{text}",
            colorscale="Blues",
            zmin=0,
            zmax=100,
            colorbar={"title": "% der<br>Analysen"},
            hovertemplate="%{y} · %{x}: %{text} Analysen (%{z:.0f} %)<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis={"autorange": "reversed", "dtick": 1, "type": "category"},
        xaxis={"side": "top"},
        font={"family": FONT, "size": 12},
        height=18 * len(views) + 120,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        title={"text": f"n = {pic.n_members} Analysen", "x": 0.99, "xanchor": "right", "font": {"size": 13}},
    )
    return fig
