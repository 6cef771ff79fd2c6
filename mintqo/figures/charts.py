"""Plotly figures for results, built from domain objects (pure: no Streamlit)."""

from __future__ import annotations

import plotly.graph_objects as go

from mintqo.domain.anonymity import GroupPicture
from mintqo.domain.histograms import AxisStat, sub_item
from mintqo.domain.questionnaire import SubCriterion
from mintqo.domain.scoring import Band, Results, format_score, round_score

FONT = "Source Sans Pro, Arial, sans-serif"
# Every colour that carries meaning meets 3:1 against white (WCAG 1.4.11), text 4.5:1 (1.4.3).
OWN_COLOR = "#1f5fa8"  # 6.4:1
BAND_COLOR = "rgba(90, 90, 110, 0.30)"  # the fill is faint: the outline carries the contrast
BAND_OUTLINE = "#5a5a6e"  # 6.7:1
PREVIOUS_COLOR = "#b35900"  # 4.8:1, and dotted
MEDIAN_COLOR = "#3a3a4a"  # 11:1, and dashed
AXIS_INK = "#333333"  # axis labels 12.6:1 (Streamlit's chart theme would grey them to 3.7:1)
GUIDE_COLOR = "#767676"  # threshold lines 4.5:1


def _wrap(title: str, width: int = 14) -> str:
    """Break a title onto lines of about `width` characters for axis labels."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _theta(subs: list[SubCriterion]) -> list[str]:
    return [f"<b>{s.id}</b> {_wrap(s.title)}" for s in subs]


Trace = dict[str, object]  # a plotly trace as a plain dict: validated once, when the figure is built


def _ring(r: list[float | None], theta: list[str], **style: object) -> Trace:
    """A line around the radar, closed back to its first axis; a missing value leaves a gap."""
    return {"type": "scatterpolar", "r": r + r[:1], "theta": theta + theta[:1], "connectgaps": False, **style}


def group_band_traces(
    subs: list[SubCriterion],
    pic: GroupPicture,
    *,
    name: str,
    band: bool = True,
    median: bool = True,
) -> list[Trace]:
    """The group's interquartile range as a band per axis and its median as a dashed line.

    Axes below the threshold get no band and a gap in the median line, never a guess.
    `band` and `median` switch the two layers (the results page lets the user choose).
    """
    theta = _theta(subs)
    stats = [pic.axes.get(sub_item(s.id)) for s in subs]
    shown = [(t, a) for t, a in zip(theta, stats, strict=True) if isinstance(a, AxisStat) and a.n]
    traces: list[Trace] = []
    if shown and band:
        traces.append(
            {
                "type": "barpolar",
                "r": [max((a.q3 or 0) - (a.q1 or 0), 0.04) for _, a in shown],
                "base": [(a.q1 or 0) - (0.02 if a.q3 == a.q1 else 0) for _, a in shown],
                "theta": [t for t, _ in shown],
                # A categorical angular axis measures bar width in categories, not degrees.
                "width": [0.92] * len(shown),
                "marker": {"color": BAND_COLOR, "line": {"width": 1.5, "color": BAND_OUTLINE}},
                "name": f"{name}: mittlere 50 %",
                "hovertext": [
                    f"{name}<br>Median {format_score(a.median)} · mittlere 50 %: "
                    f"{format_score(a.q1)}–{format_score(a.q3)}<br>n = {a.n}"
                    for _, a in shown
                ],
                "hoverinfo": "text",
                "showlegend": True,
            }
        )
    if median:
        medians = [a.median if isinstance(a, AxisStat) else None for a in stats]
        traces.append(
            _ring(
                medians,
                theta,
                mode="lines",
                line={"color": MEDIAN_COLOR, "width": 2, "dash": "dash"},
                name=f"{name}: Median",
                hoverinfo="skip",
            )
        )
    return traces


def _faint(color: str, alpha: float) -> str:
    """A "#rrggbb" colour as rgba with the given opacity."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def band_rings(theta: list[str]) -> Trace:
    """The red / amber / green bands of the 1–4 scale as faint rings behind everything else.

    Green holds both "solide" (3,0–3,2) and "Stärke" (from 3,3); RING_LEGEND names them.
    One trace for all three rings (a bar per axis and ring): the browser draws one layer, not three.
    """
    rings = ((1, 2, Band.DEVELOPMENT), (2, 3, Band.EXPANDABLE), (3, 4, Band.STRENGTH))
    return {
        "type": "barpolar",
        "r": [high - low for low, high, _ in rings for _ in theta],
        "base": [low for low, _, _ in rings for _ in theta],
        "theta": theta * len(rings),
        # A categorical angular axis measures bar width in categories: 1 closes the ring.
        "width": [1] * (len(theta) * len(rings)),
        "marker": {
            "color": [_faint(ring.color, 0.10) for _, _, ring in rings for _ in theta],
            "line": {"width": 0},
        },
        "hoverinfo": "skip",
        "showlegend": False,
        "name": "Farbringe",
    }


RING_LEGEND = (
    ("red", "rot", "unter 2,0: Entwicklungsfeld"),
    ("orange", "gelb", "2,0–2,9: ausbaufähig"),
    ("green", "grün", "3,0–3,2: solide, ab 3,3: Stärke"),
)


def polar_layout(n_axes: int, *, scale: float = 1.0, ink: str | None = None) -> dict[str, object]:
    """Polar axes of every radar: the 1–4 scale, clockwise from the top, bars overlaid."""
    return {
        "radialaxis": {
            "range": [1, 4],
            "tickvals": [1, 2, 3, 4],
            # Draw the 1–4 scale between the first and last axis, not over a data point.
            "angle": 90 + 180 / max(1, n_axes),
            "tickangle": 0,
            "tickfont": {"size": 12 * scale, "color": ink or AXIS_INK},
            "gridcolor": "#bbbbbb",
        },
        "angularaxis": {
            "direction": "clockwise",
            "rotation": 90,
            "tickfont": {"size": 12 * scale, "color": ink or AXIS_INK},
        },
        "barmode": "overlay",
        "bargap": 0,
    }


def radar_figure(
    results: Results,
    band: GroupPicture | None = None,
    *,
    band_name: str = "Gruppe",
    height: int = 620,
    previous: Results | None = None,
    previous_name: str = "vorige Runde",
    show_band: bool = True,
    show_median: bool = True,
) -> go.Figure:
    """Radar over all sub-criteria on the 1–4 scale, with the three colour bands as rings.

    With `band`, the group's median and interquartile range lie under the own polygon
    (each layer only if `show_median` / `show_band`).
    """
    subs = results.subscores
    theta = _theta([s.subcriterion for s in subs])
    traces = [band_rings(theta)]
    if band is not None and not (show_band or show_median):
        band = None
    if band is not None:
        traces += group_band_traces(
            [s.subcriterion for s in subs], band, name=band_name, band=show_band, median=show_median
        )
    if previous is not None:
        before = {p.subcriterion.id: p.mean for p in previous.subscores}
        # Axes the earlier round did not have stay empty ("nicht in beiden Runden"), never zero.
        pr = [round_score(m) if (m := before.get(s.subcriterion.id)) is not None else None for s in subs]
        traces.append(
            _ring(
                pr,
                theta,
                mode="lines+markers",
                line={"color": PREVIOUS_COLOR, "width": 2, "dash": "dot"},
                marker={"size": 6, "color": PREVIOUS_COLOR},
                name=previous_name,
                hovertext=[f"{previous_name}: {format_score(v)}" for v in pr + pr[:1]],
                hoverinfo="text",
            )
        )
    r = [round_score(s.mean) if s.mean is not None else None for s in subs]
    hover = [
        f"<b>{s.subcriterion.label}</b><br>Wert: {format_score(s.mean)}<br>"
        f"aus {s.n_scoring} von {s.n_total} Aussagen"
        for s in subs
    ]
    traces.append(
        _ring(
            r,
            theta,
            mode="lines+markers",
            fill="toself",
            fillcolor="rgba(31, 95, 168, 0.25)",
            line={"color": OWN_COLOR, "width": 3},
            marker={"size": 8},
            name="Ihr Projekt",
            hovertext=hover + hover[:1],
            hoverinfo="text",
        )
    )
    legend = band is not None or previous is not None
    # One constructor call: plotly validates the plain dicts once (adding traces one by one costs 3×).
    fig = go.Figure(
        data=traces,
        layout={
            "polar": polar_layout(len(subs)),
            "font": {"family": FONT, "color": AXIS_INK},
            "margin": {"l": 120, "r": 120, "t": 50, "b": 110 if legend else 50},
            "height": height,
            "showlegend": legend,
            "legend": {"orientation": "h", "y": -0.1, "yanchor": "top", "x": 0.5, "xanchor": "center"},
        },
    )
    return fig
