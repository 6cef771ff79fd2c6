"""The report's tables as headers and rows, built from `ReportData` (pure: no database, no layout)."""

from __future__ import annotations

from collections import defaultdict

from mintqo.domain.anonymity import CHANGE, Withheld
from mintqo.domain.histograms import AxisStat, criterion_item, sub_item
from mintqo.domain.rounds import compare
from mintqo.domain.scoring import format_score, open_points
from mintqo.report.content import NBSP, date_text
from mintqo.report.data import ReportData

Table = tuple[list[str], list[list[str]]]


def _band_cells(data: ReportData, item: str) -> list[str]:
    pic = data.band
    if pic is None:
        return []
    axis = pic.axes.get(item)
    if isinstance(axis, AxisStat) and axis.median is not None:
        return [format_score(axis.median), f"{format_score(axis.q1)}–{format_score(axis.q3)}", str(axis.n)]
    held = isinstance(axis, Withheld) and axis.reason == CHANGE
    return ["zurückgehalten" if held else "zu wenige", "–", "–"]


def band_headers(data: ReportData) -> list[str]:
    """Column headers of the comparison's numbers (none without a released band)."""
    return ["Median", f"mittlere 50{NBSP}%", "n"] if data.band is not None else []


def value_table(data: ReportData) -> Table:
    """One row per sub-criterion: score, band, the counts behind it and the comparison's numbers."""
    headers = ["Id", "Unterkriterium", "Wert", "Einstufung", "bewertet", f"n.{NBSP}z. / w.{NBSP}n. / offen"]
    rows = [
        [
            s.subcriterion.id,
            s.subcriterion.title,
            format_score(s.mean) if s.mean is not None else "–",
            s.band.value if s.band else "keine Bewertung",
            str(s.n_scoring),
            f"{s.n_not_applicable} / {s.n_dont_know} / {s.n_open}",
            *_band_cells(data, sub_item(s.subcriterion.id)),
        ]
        for s in data.results.subscores
    ]
    return headers + band_headers(data), rows


def criteria_table(data: ReportData) -> Table:
    """One row per main criterion: score, band and the comparison's numbers."""
    headers = ["Hauptkriterium", "Wert", "Einstufung", "Unterkriterien bewertet"]
    rows = [
        [
            f"{c.id} {c.title}",
            format_score(c.mean) if c.mean is not None else "–",
            c.band.value if c.band else "keine Bewertung",
            str(c.n_subcriteria),
            *_band_cells(data, criterion_item(c.id)),
        ]
        for c in data.results.criteria
    ]
    return headers + band_headers(data), rows


def open_point_items(data: ReportData) -> list[tuple[str, str]]:
    """Statements answered "weiß nicht": (statement id, text)."""
    return open_points(data.q, data.answers)


def open_point_table(data: ReportData) -> Table:
    """The statements answered "weiß nicht", as a table like the report's other lists."""
    return ["Id", "Aussage"], [[statement_id, text] for statement_id, text in open_point_items(data)]


def _sub_label(data: ReportData, sub_id: str) -> str:
    return data.q.subcriterion(sub_id).label if data.q.has_subcriterion(sub_id) else sub_id


def measure_table(data: ReportData) -> Table:
    """The project's measures up to this round: sub-criterion, what, who, due, status, round."""
    headers = ["Unterkriterium", "Maßnahme", "Wer", "Bis", "Status", "Runde"]
    rows = [
        [
            _sub_label(data, m.subcriterion_id),
            m.what,
            m.who or "–",
            date_text(m.due) or "–",
            m.status,
            str(m.round),
        ]
        for m in data.measures
    ]
    return headers, rows


def change_table(data: ReportData) -> Table | None:
    """Before / after per sub-criterion with the earlier rounds' measures, or None in round 1."""
    if data.previous is None:
        return None
    before, now = data.previous.round, data.info.round
    checkins: dict[str, list[str]] = defaultdict(list)
    for m in data.measures:
        if m.round < now:
            checkins[m.subcriterion_id].append(f"{m.what} ({m.status})")
    headers = ["Unterkriterium", f"Runde{NBSP}{before}", f"Runde{NBSP}{now}", "Veränderung"]
    headers.append("Maßnahmen der vorigen Runde")
    rows = [
        [
            c.label,
            format_score(c.before) if c.before is not None else "–",
            format_score(c.after) if c.after is not None else "–",
            c.text,
            "; ".join(checkins.get(c.subcriterion_id, [])) or "–",
        ]
        for c in compare(data.previous.results, data.results)
    ]
    return headers, rows
