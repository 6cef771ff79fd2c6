"""Measures widgets: sub-criterion choice with hints, and the editable, sortable list."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from mintqo.domain.measures import STATUSES
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, format_score
from mintqo.services import measures
from mintqo.services.analyses import AnalysisInfo, NoteState
from mintqo.services.measures import MeasureRow
from mintqo.ui import errors
from mintqo.ui.resources import db_session

TABLE_KEY = "measures.table"
APPLIED_KEY = "measures.applied"


def subcriterion_options(
    q: Questionnaire, results: Results, notes: Mapping[str, NoteState]
) -> tuple[list[str], dict[str, str]]:
    """Development areas and flagged sub-criteria first (with a hint), then all others."""
    hints: dict[str, str] = {}
    for s in results.development_areas():
        # The band's own name, as on the results page: "Entwicklungsfeld" only below 2,0.
        band = s.band.value if s.band else "keine Bewertung"
        hints[s.subcriterion.id] = f" – {band} ({format_score(s.mean)})"
    for sub_id, note in notes.items():
        if note.action_needed:
            hints[sub_id] = hints.get(sub_id, "") + " – Handlungsbedarf"
    first = [s.id for s in q.subcriteria if s.id in hints]
    return first + [s.id for s in q.subcriteria if s.id not in hints], hints


def _save_edits(info: AnalysisInfo, rows: list[MeasureRow]) -> None:
    # The editor re-sends every edit of this session with each change; saving only the rows whose
    # edit is new keeps a colleague's later change of another row from being overwritten.
    edits = st.session_state.get(TABLE_KEY, {}).get("edited_rows", {})
    applied: dict[int, dict[str, object]] = st.session_state.setdefault(APPLIED_KEY, {})
    try:
        with db_session() as db:
            for index, change in edits.items():
                if applied.get(rows[int(index)].id) == change:
                    continue
                row = rows[int(index)]
                measures.set_status(
                    db,
                    info.project_id,
                    row.id,
                    change.get("Status", row.status),
                    change.get("Notiz", row.note),
                )
                applied[row.id] = dict(change)  # only once stored: a failed edit is sent again
    except Exception as exc:
        st.session_state["measures.error"] = f"Nicht gespeichert: {errors.save_failure(exc)}"


def measures_table(q: Questionnaire, info: AnalysisInfo, rows: list[MeasureRow]) -> None:
    """All measures; click a column header to sort, change status and note in place (saved at once)."""
    error = st.session_state.pop("measures.error", None)
    if error:
        st.error(error)
        st.button("Erneut speichern", key="measures.retry", on_click=_save_edits, args=(info, rows))
    data = [
        {
            "Unterkriterium": q.subcriterion(r.subcriterion_id).label
            if q.has_subcriterion(r.subcriterion_id)
            else r.subcriterion_id,
            "Was": r.what,
            "Wer": r.who,
            "Bis": r.due,
            "Status": r.status,
            "Runde": r.round,
            "Notiz": r.note,
        }
        for r in rows
    ]
    st.data_editor(
        data,
        key=TABLE_KEY,
        hide_index=True,
        width="stretch",
        disabled=["Unterkriterium", "Was", "Wer", "Bis", "Runde"],
        column_config={
            "Status": st.column_config.SelectboxColumn(options=list(STATUSES), required=True),
            "Bis": st.column_config.DateColumn(format="DD.MM.YYYY"),
        },
        on_change=_save_edits,
        args=(info, rows),
    )
    st.caption("Status und Notiz ändern Sie direkt in der Tabelle; die Änderung wird sofort gespeichert.")
