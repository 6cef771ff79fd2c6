"""Own-data exports as plain tables with German headers (CSV and Excel are built from these)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.team import StatementRatings

Row = dict[str, str | int]


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
                row["Handlungsbedarf"] = "ja" if flag else ""
                row["Begründung / Belege (Unterkriterium)"] = note
                rows.append(row)
    return rows


def to_csv(rows: Sequence[Row]) -> bytes:
    """Semicolon-separated UTF-8 with BOM, as German spreadsheet programs expect."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
