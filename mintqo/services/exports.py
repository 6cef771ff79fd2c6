"""CSV and Excel exports: a project's own answers, notes, measures and values; a released group picture."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from sqlalchemy.orm import Session

from mintqo.domain.exports import Row, answer_rows, group_rows, to_csv
from mintqo.domain.plaintext import clean, formula_like
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, round_score, score_analysis
from mintqo.services import measures, team
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.answers import notes_of
from mintqo.services.group_comparisons import Comparison


@dataclass(frozen=True)
class OwnData:
    """The tables of one analysis's export."""

    answers: list[Row]
    measures: list[Row]
    scores: list[Row] = field(default_factory=list)


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
    results = score_analysis(q, team.counting_answers(session, q, info.analysis_id))
    return OwnData(answer_rows(q, view.raters, view.statements, notes), measure_rows, score_rows(results))


def score_rows(results: Results) -> list[Row]:
    """Sheet "Werte": every sub-criterion, then every main criterion, with its value as a number."""
    rows: list[dict[str, object]] = [
        {
            "Ebene": "Unterkriterium",
            "Id": s.subcriterion.id,
            "Titel": s.subcriterion.title,
            "Wert (1–4)": round_score(s.mean) if s.mean is not None else "",
            "Einstufung": s.band.value if s.band else "keine Bewertung",
            "bewertet": s.n_scoring,
            "nicht zutreffend": s.n_not_applicable,
            "weiß nicht": s.n_dont_know,
            "offen": s.n_open,
        }
        for s in results.subscores
    ]
    rows += [
        {
            "Ebene": "Hauptkriterium",
            "Id": c.id,
            "Titel": c.title,
            "Wert (1–4)": round_score(c.mean) if c.mean is not None else "",
            "Einstufung": c.band.value if c.band else "keine Bewertung",
            "bewertet": c.n_scoring,
            "nicht zutreffend": "",
            "weiß nicht": "",
            "offen": "",
        }
        for c in results.criteria
    ]
    return cast(list[Row], rows)  # values are numbers (floats too) or text; openpyxl writes both


def answers_csv(data: OwnData) -> bytes:
    """The answers table as CSV."""
    return to_csv(data.answers)


def measures_csv(data: OwnData) -> bytes:
    """The measures table as CSV."""
    return to_csv(data.measures)


def workbook(data: OwnData, info: AnalysisInfo) -> bytes:
    """An .xlsx file with the sheets "Antworten", "Maßnahmen" and "Werte" (bold headers, frozen top row)."""
    sheets = (("Antworten", data.answers), ("Maßnahmen", data.measures), ("Werte", data.scores))
    return with_real_dates(xlsx(sheets, f"mintqo – {info.project}"), "Maßnahmen", "Bis")


def with_real_dates(raw: bytes, sheet_title: str, header: str) -> bytes:
    """Turn a column of German dates ("01.03.2027") into real Excel dates shown the same way."""
    book = load_workbook(io.BytesIO(raw))
    sheet = book[sheet_title]
    headers = [c.value for c in sheet[1]]
    if header not in headers:
        return raw
    column = headers.index(header) + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        day = _german_date(cell.value)
        if day is not None:
            cell.value = day
            cell.number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _german_date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%d.%m.%Y").date()
    except ValueError:
        return None


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
        sheet.append([clean(h) for h in headers])
        for header_cell in sheet[1]:
            header_cell.font = Font(bold=True)
        for row in rows:
            sheet.append([clean(v) if isinstance(v, str) else v for v in (row[h] for h in headers)])
            for value_cell in sheet[sheet.max_row]:
                if formula_like(value_cell.value):
                    # Kept as typed but stored as text with Excel's text prefix: never evaluated.
                    value_cell.data_type = "s"
                    value_cell.quotePrefix = True
        sheet.freeze_panes = "A2"
        for column, header in zip(sheet.columns, headers, strict=False):
            width = max([len(str(header))] + [len(str(c.value or "")) for c in column])
            sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    book.properties.title = clean(title)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
