"""Exports of a project's own data: answers, notes and measures as CSV and Excel."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from mintqo.domain.exports import Row, answer_rows, group_rows, to_csv
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import measures, team
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.answers import notes_of
from mintqo.services.benchmarks import Comparison


@dataclass(frozen=True)
class OwnData:
    """The tables of one analysis's export."""

    answers: list[Row]
    measures: list[Row]


def own_data(session: Session, q: Questionnaire, info: AnalysisInfo) -> OwnData:
    """Answers (every member's and the counting value), notes, and the project's measures."""
    view = team.team_view(session, q, info.analysis_id)
    notes = {sid: (n.note, n.action_needed) for sid, n in notes_of(session, info.analysis_id).items()}
    measure_rows: list[Row] = [
        {
            "Unterkriterium": q.subcriterion(m.subcriterion_id).label
            if q.has_subcriterion(m.subcriterion_id)
            else m.subcriterion_id,
            "Was": m.what,
            "Wer": m.who,
            "Bis": f"{m.due:%d.%m.%Y}" if m.due else "",
            "Status": m.status,
            "Runde": m.round,
            "Notiz": m.note,
        }
        for m in measures.measures_of(session, info.project_id)
    ]
    return OwnData(answer_rows(q, view.raters, view.statements, notes), measure_rows)


def answers_csv(data: OwnData) -> bytes:
    """The answers table as CSV."""
    return to_csv(data.answers)


def measures_csv(data: OwnData) -> bytes:
    """The measures table as CSV."""
    return to_csv(data.measures)


def workbook(data: OwnData, info: AnalysisInfo) -> bytes:
    """An .xlsx file with the sheets "Antworten" and "Maßnahmen" (bold headers, frozen top row)."""
    return xlsx((("Antworten", data.answers), ("Maßnahmen", data.measures)), f"mintqo – {info.project}")


def group_workbook(comparison: Comparison, q: Questionnaire) -> bytes:
    """The released group picture as .xlsx: "Kriterien" and "Aussagen" – only what passed the rules."""
    if comparison.picture is None:
        raise ValueError("no released picture")
    axes, statements = group_rows(q, comparison.picture, comparison.hists)
    return xlsx((("Kriterien", axes), ("Aussagen", statements)), comparison.label)


def group_csv(comparison: Comparison, q: Questionnaire) -> bytes:
    """The released group picture's criteria table as CSV."""
    if comparison.picture is None:
        raise ValueError("no released picture")
    return to_csv(group_rows(q, comparison.picture, comparison.hists)[0])


def xlsx(sheets: tuple[tuple[str, list[Row]], ...], title: str) -> bytes:
    """Workbook with one sheet per table: bold headers, frozen top row, readable widths."""
    book = Workbook()
    for i, (sheet_title, rows) in enumerate(sheets):
        sheet = book.active if i == 0 else book.create_sheet()
        sheet.title = sheet_title
        headers = list(rows[0]) if rows else ["(keine Einträge)"]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[h] for h in headers])
        sheet.freeze_panes = "A2"
        for column, header in zip(sheet.columns, headers, strict=False):
            width = max([len(str(header))] + [len(str(c.value or "")) for c in column])
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    book.properties.title = title
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
