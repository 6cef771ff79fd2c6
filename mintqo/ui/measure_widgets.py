"""Measures widgets: the new-measure form, the sortable list, and editing or deleting one measure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import NamedTuple

import streamlit as st
from sqlalchemy.orm import Session

from mintqo.domain.measures import MAX_NOTE, MAX_WHAT, STATUSES, validate_measure
from mintqo.domain.plaintext import md
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, format_score
from mintqo.services import measures
from mintqo.services.analyses import AnalysisError, AnalysisInfo, NoteState
from mintqo.services.measures import MeasureRow
from mintqo.ui import errors
from mintqo.ui.resources import db_session


class MeasureFields(NamedTuple):
    """What the measure form holds, in validate_measure's order."""

    subcriterion_id: str | None
    what: str
    who: str
    due: date | None
    status: str
    note: str


TABLE_KEY = "measures.table"
APPLIED_KEY = "measures.applied"
VERSION_KEY = "measures.table_version"

ROW_HEIGHT = 76  # px: three lines of text


def table_key() -> str:
    """The editor's key; a new one after an edit or deletion, so old row edits are never replayed."""
    version = st.session_state.get(VERSION_KEY, 0)
    return f"{TABLE_KEY}.{version}" if version else TABLE_KEY


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
    edits = st.session_state.get(table_key(), {}).get("edited_rows", {})
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
        key=table_key(),
        hide_index=True,
        width="stretch",
        # Rows above 4rem let the grid wrap long text (Was, Notiz) over three lines instead of cutting it.
        row_height=ROW_HEIGHT,
        disabled=["Unterkriterium", "Was", "Wer", "Bis", "Runde"],
        column_config={
            "Status": st.column_config.SelectboxColumn(options=list(STATUSES), required=True),
            "Bis": st.column_config.DateColumn(format="DD.MM.YYYY"),
            "Was": st.column_config.TextColumn(width="medium"),
            "Notiz": st.column_config.TextColumn(width="large"),
        },
        on_change=_save_edits,
        args=(info, rows),
    )
    st.caption(
        "Status und Notiz ändern Sie direkt in der Tabelle; die Änderung wird sofort gespeichert. "
        "Alles andere ändern oder löschen Sie unten unter „Maßnahme bearbeiten oder löschen“."
    )


def _sub_choice(
    q: Questionnaire, options: list[str], hints: Mapping[str, str], key: str, value: str | None
) -> str | None:
    """The sub-criterion select: nothing preselected, so a measure is never filed under a wrong one."""
    return st.selectbox(
        "Unterkriterium *",
        options,
        index=options.index(value) if value in options else None,
        format_func=lambda i: q.subcriterion(i).label + hints.get(i, ""),
        placeholder="Bitte wählen",
        key=key,
    )


def _fields(
    q: Questionnaire, options: list[str], hints: Mapping[str, str], prefix: str, row: MeasureRow | None
) -> MeasureFields:
    """Every field of a measure (prefilled from `row`); no max_chars: too long text gets a message."""
    sub_id = _sub_choice(q, options, hints, f"{prefix}.sub", row.subcriterion_id if row else None)
    what = st.text_input(
        f"Was? * (höchstens {MAX_WHAT} Zeichen)",
        value=row.what if row else "",
        key=f"{prefix}.what",
        placeholder="z. B. Vorher-Nachher-Fragebogen",
    )
    who_col, due_col, status_col = st.columns(3)
    who = who_col.text_input("Wer?", value=row.who if row else "", key=f"{prefix}.who")
    due = due_col.date_input(
        "Bis wann?", value=row.due if row else None, format="DD.MM.YYYY", key=f"{prefix}.due"
    )
    status = status_col.selectbox(
        "Status", STATUSES, index=STATUSES.index(row.status) if row else 0, key=f"{prefix}.status"
    )
    note = st.text_area(
        f"Notiz (höchstens {MAX_NOTE} Zeichen)",
        value=row.note if row else "",
        key=f"{prefix}.note",
        height=80,
    )
    return MeasureFields(sub_id, what, who, due, status, note)


NEW, FIELDS = "measures.new", "measures"  # form key, and the prefix of its fields' keys
CLEAR = "measures.clear_new"


def new_measure_form(
    q: Questionnaire, info: AnalysisInfo, options: list[str], hints: Mapping[str, str]
) -> None:
    """Record a new measure; a bad entry keeps what was typed and says what to fix."""
    if st.session_state.pop(CLEAR, False):  # after a save: empty fields, before they are drawn
        for field in ("sub", "what", "who", "due", "status", "note"):
            st.session_state.pop(f"{FIELDS}.{field}", None)
    with st.form(NEW):
        st.subheader("Neue Maßnahme")
        fields = _fields(q, options, hints, FIELDS, None)
        added = st.form_submit_button("Maßnahme speichern", type="primary")
    if not added:
        return
    spec, errors = validate_measure(*fields)
    if spec is None:
        for message in errors.values():
            st.error(message)
        return
    try:
        with db_session() as db:
            measures.add_measure(db, q, info.analysis_id, spec)
    except AnalysisError as exc:
        st.error(str(exc))
        return
    st.session_state[CLEAR] = True
    st.toast("Maßnahme gespeichert.", icon=":material/task_alt:")
    st.rerun()


EDIT = "measures.edit"


def _label(q: Questionnaire, r: MeasureRow) -> str:
    due = f", bis {r.due:%d.%m.%Y}" if r.due else ""
    return f"{r.what} ({r.subcriterion_id}{due}, {r.status})"


def edit_section(
    q: Questionnaire, info: AnalysisInfo, rows: list[MeasureRow], options: list[str], hints: Mapping[str, str]
) -> None:
    """Pick one measure, change any of its fields, or delete it after a confirmation."""
    st.subheader("Maßnahme bearbeiten oder löschen")
    by_id = {r.id: r for r in rows}
    picked = st.selectbox(
        "Welche Maßnahme?",
        list(by_id),
        index=None,
        format_func=lambda i: _label(q, by_id[i]),
        placeholder="Bitte wählen",
        key=f"{EDIT}.pick",
    )
    if picked is None:
        return
    row = by_id[picked]
    prefix = f"{EDIT}.{row.id}"  # per measure: switching shows that measure's values
    with st.form(prefix):
        fields = _fields(q, options, hints, prefix, row)
        saved = st.form_submit_button("Änderungen speichern", type="primary")
    if saved:
        spec, errors = validate_measure(*fields)
        for message in errors.values():
            st.error(message)
        if spec is not None:
            _run(
                lambda db: measures.update_measure(db, q, info.project_id, row.id, spec),
                "Änderungen gespeichert.",
            )
    confirm = f"{prefix}.confirm"
    if not st.session_state.get(confirm):
        if st.button("Maßnahme löschen …", key=f"{prefix}.delete", icon=":material/delete:"):
            st.session_state[confirm] = True
            st.rerun()
        return
    st.warning(f"Die Maßnahme „{md(row.what)}“ wirklich löschen? Das lässt sich nicht rückgängig machen.")
    row_box = st.container(horizontal=True)
    if row_box.button("Ja, endgültig löschen", key=f"{prefix}.yes", type="primary"):
        st.session_state.pop(confirm, None)
        st.session_state.pop(f"{EDIT}.pick", None)
        _run(lambda db: measures.delete_measure(db, info.project_id, row.id), "Maßnahme gelöscht.")
    if row_box.button("Abbrechen", key=f"{prefix}.no"):
        st.session_state.pop(confirm, None)
        st.rerun()


def _run(action: Callable[[Session], None], done: str) -> None:
    """Run a change, then rerun with a toast; a failure stays on screen in German."""
    try:
        with db_session() as db:
            action(db)
    except AnalysisError as exc:
        st.error(str(exc))
        return
    st.session_state.pop(APPLIED_KEY, None)  # the table shows fresh rows now
    st.session_state[VERSION_KEY] = st.session_state.get(VERSION_KEY, 0) + 1
    st.toast(done, icon=":material/task_alt:")
    st.rerun()
