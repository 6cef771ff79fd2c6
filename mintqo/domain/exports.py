"""Own-data exports as plain tables with German headers (CSV and Excel are built from these)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence

from mintqo.domain.anonymity import GroupPicture, Withheld
from mintqo.domain.histograms import AxisStat, Histograms, criterion_item, sub_item
from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.plaintext import cell
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import format_score
from mintqo.domain.team import StatementRatings

Row = dict[str, str | int | float]


def answer_rows(
    q: Questionnaire,
    raters: Mapping[int, str],
    statements: Sequence[StatementRatings],
    notes: Mapping[str, tuple[str, bool]],
) -> list[Row]:
    """One row per statement: texts, every member's answer, the agreed and the counting value."""
    by_id = {s.statement_id: s for s in statements}
    rows: list[Row] = []
    for crit in q.criteria:
        for sub in crit.subcriteria:
            note, flag = notes.get(sub.id, ("", False))
            for st in sub.statements:
                s = by_id.get(st.id)
                row: Row = {
                    "Hauptkriterium": f"{crit.id} {crit.title}",
                    "Unterkriterium": sub.label,
                    "Aussage-Id": st.id,
                    "Aussage": st.text,
                }
                for rid, name in raters.items():
                    value = s.by_rater.get(rid) if s else None
                    row[f"Bewertung {name}"] = q.option(value).label if value else ""
                row["Vereinbart"] = q.option(s.agreed).label if s and s.agreed else ""
                row["Begründung"] = s.reason if s else ""
                row["Zählt"] = q.option(s.counts).label if s and s.counts else ""
                # The same as a number, so a spreadsheet can calculate with it ("nicht zutreffend"
                # and "weiß nicht" stay empty: they never count as zero).
                row["Zählt (1–4)"] = int(s.counts) if s and s.counts and s.counts.isdigit() else ""
                row["Handlungsbedarf"] = "ja" if flag else ""
                row["Begründung / Belege (Unterkriterium)"] = note
                rows.append(row)
    return rows


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def file_stem(project: str, round_no: int) -> str:
    """A file name stem naming the project and round, e.g. "mintqo-robotik-ag-klasse-5-7-runde1"."""
    text = unicodedata.normalize("NFKD", project.lower().translate(_UMLAUTS))
    text = "".join(c for c in text if not unicodedata.combining(c))  # é → e
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:50].strip("-")
    return f"mintqo-{slug}-runde{round_no}" if slug else f"mintqo-runde{round_no}"


def to_csv(rows: Sequence[Row]) -> bytes:
    """Semicolon-separated UTF-8 with BOM, as German spreadsheet programs expect."""
    out = io.StringIO()
    if rows:
        # Every cell, header included, is cleaned of control characters and can never start a formula.
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow([cell(h) for h in rows[0]])
        writer.writerows([cell(v) for v in row.values()] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def group_rows(q: Questionnaire, pic: GroupPicture, hists: Histograms) -> tuple[list[Row], list[Row]]:
    """A released group picture as two tables (axes, statements); withheld parts say why, never a number."""
    axes: list[Row] = []
    items: list[tuple[str, str, str | None]] = [
        (f"{c.id} {c.title}", criterion_item(c.id), None) for c in q.criteria
    ]
    items += [(s.label, sub_item(s.id), s.id) for s in q.subcriteria]
    for label, item, sub_id in items:
        axis = pic.axes[item]
        row: Row = {"Kriterium": label, "Analysen (n)": axis.n if isinstance(axis, AxisStat) else ""}
        if isinstance(axis, AxisStat) and axis.median is not None:
            row.update(
                {
                    "Median": format_score(axis.median),
                    "unteres Quartil": format_score(axis.q1),
                    "oberes Quartil": format_score(axis.q3),
                }
            )
        else:
            message = axis.message if isinstance(axis, Withheld) else "keine Bewertung"
            row.update({"Median": message, "unteres Quartil": "", "oberes Quartil": ""})
        row["„weiß nicht“ (Anzahl)"] = pic.dont_know.get(sub_id, "") if sub_id else ""
        for status in MEASURE_STATUSES:
            row[f"Maßnahmen {status}"] = pic.measures.get(sub_id, {}).get(status, "") if sub_id else ""
        axes.append(row)
    statements: list[Row] = []
    for sub in q.subcriteria:
        for view in pic.statements(q, sub.id, hists):
            row = {"Aussage-Id": view.statement_id, "Aussage": q.statement(view.statement_id).text}
            for opt in q.scale:
                row[opt.label] = view.counts.get(opt.value, 0) if view.counts else ""
            row["Hinweis"] = view.withheld.message if view.withheld else ""
            statements.append(row)
    return axes, statements
