"""Table twins of plotly figures: the same numbers as rows, for screen readers and small screens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

_TAG = re.compile(r"<[^>]+>")


def plain(label: object) -> str:
    """A plotly label without its HTML (<b>, <br>) as one line of text."""
    return re.sub(r"\s+", " ", _TAG.sub(" ", str(label))).strip()


def _number(value: Any) -> str:
    """German number: one decimal, comma; whole counts without decimals; gaps as a dash."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) >= 5):
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _seq(value: Any) -> list[Any]:
    return list(value) if value is not None else []


def _cells(trace: Any) -> tuple[list[str], list[str]]:
    """(row labels, cell texts) of one trace."""
    kind = trace.type
    if kind in ("scatterpolar", "barpolar"):
        rows, values = _seq(trace.theta), _seq(trace.r)
        bases = _seq(getattr(trace, "base", None))
        if bases:
            cells = [f"{_number(b)}–{_number(b + v)}" for b, v in zip(bases, values, strict=False)]
        else:
            cells = [_number(v) for v in values]
        return [plain(r) for r in rows], cells
    horizontal = getattr(trace, "orientation", None) == "h" or kind == "scatter"
    rows, values = (_seq(trace.y), _seq(trace.x)) if horizontal else (_seq(trace.x), _seq(trace.y))
    bases = _seq(getattr(trace, "base", None)) if kind == "bar" else []
    if bases:
        cells = [f"{_number(b)}–{_number(b + v)}" for b, v in zip(bases, values, strict=False)]
    else:
        cells = [_number(v) for v in values]
    return [plain(r) for r in rows], cells


def figure_rows(fig: go.Figure) -> tuple[list[str], list[list[str]]]:
    """Header and rows: one row per category (axis, statement), one column per named trace.

    Decorative traces (the band rings: no legend, no hover) are left out; heatmaps become a
    matrix of their cells.
    """
    for trace in fig.data:
        if trace.type == "heatmap":
            header = [""] + [plain(x) for x in _seq(trace.x)]
            z: Sequence[Sequence[Any]] = _seq(trace.z)
            return header, [
                [plain(y)] + [_number(v) for v in row] for y, row in zip(_seq(trace.y), z, strict=False)
            ]
    names: list[str] = []
    table: dict[str, dict[str, str]] = {}
    for trace in fig.data:
        if trace.showlegend is False and trace.hoverinfo == "skip":
            continue
        name = plain(trace.name or "Wert")
        names.append(name)
        for row, cell in zip(*_cells(trace), strict=False):
            table.setdefault(row, {})[name] = cell
    if any(trace.type == "scatterpolar" for trace in fig.data):
        names.reverse()  # a radar draws the own polygon last (on top): in the table it comes first
    return ["", *names], [[row, *(cells.get(n, "–") for n in names)] for row, cells in table.items()]
