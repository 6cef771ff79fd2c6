"""Two windows, one login: tell when a save or a run meets answers changed in another window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import streamlit as st

from mintqo.domain.plaintext import clean, md
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services.analyses import AnalysisInfo, NoteState

SHOWN = "assess.shown"  # what this tab showed in its last walkthrough run (Shown)
NOTICES = "assess.conflict_notices"  # German notices for the next run's step form

CHANGED_ELSEWHERE = (
    "In einem anderen Fenster wurden Antworten oder Notizen geändert – diese Seite zeigt den "
    "gespeicherten Stand."
)


@dataclass
class Shown:
    """Answers (of this rater) and notes of one analysis as this tab last drew them."""

    login: tuple[int, int]  # (analysis id, rater id)
    answers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, NoteState] = field(default_factory=dict)


def _shown(info: AnalysisInfo) -> Shown | None:
    shown: Shown | None = st.session_state.get(SHOWN)
    return shown if shown is not None and shown.login == (info.analysis_id, info.rater_id) else None


def _notice(text: str) -> None:
    notices: list[str] = st.session_state.setdefault(NOTICES, [])
    if text not in notices:
        notices.append(text)


def check_run(info: AnalysisInfo, stored: Mapping[str, str], notes: Mapping[str, NoteState]) -> None:
    """Once per change: say so when the database differs from what this tab showed last time.

    This tab's own saves update the remembered state in their callbacks, so only changes made
    elsewhere (another tab, another device with the same login or team notes) are reported.
    """
    shown = _shown(info)
    if shown is not None and (shown.answers != stored or _differ(shown.notes, notes)):
        _notice(CHANGED_ELSEWHERE)
    st.session_state[SHOWN] = Shown((info.analysis_id, info.rater_id), dict(stored), dict(notes))


def _differ(a: Mapping[str, NoteState], b: Mapping[str, NoteState]) -> bool:
    return any(a.get(k, NoteState()) != b.get(k, NoteState()) for k in a.keys() | b.keys())


def _label(q: Questionnaire, value: str | None) -> str:
    if value is None:
        return "keine Antwort"
    return next((o.short for o in q.scale if o.value == value), value)


def answer_saved(
    q: Questionnaire, info: AnalysisInfo, statement_id: str, before: str | None, value: str | None
) -> None:
    """After this tab stored VALUE: a notice when the database held another answer than shown here."""
    shown = _shown(info)
    if shown is None:
        return
    seen = shown.answers.get(statement_id)
    if before != seen and before != value:
        _notice(
            f"Hinweis: Die Antwort zu {statement_id} war inzwischen in einem anderen Fenster geändert "
            f"worden ({md(_label(q, seen))} → {md(_label(q, before))}). Gespeichert ist jetzt Ihre "
            f"Auswahl ({md(_label(q, value))})."
        )
    if value is None:
        shown.answers.pop(statement_id, None)
    else:
        shown.answers[statement_id] = value


def note_saved(
    info: AnalysisInfo, sub_id: str, before: NoteState, note: str | None = None, flag: bool | None = None
) -> None:
    """After this tab stored a note or flag: a notice when the stored one had changed meanwhile."""
    shown = _shown(info)
    if shown is None:
        return
    seen = shown.notes.get(sub_id, NoteState())
    if note is not None and before.note != seen.note and before.note != clean(note):
        _notice(
            f"Hinweis: Die Notiz zu {sub_id} war inzwischen in einem anderen Fenster geändert worden. "
            "Gespeichert ist jetzt Ihr Text."
        )
    if flag is not None and before.action_needed != seen.action_needed and before.action_needed != flag:
        _notice(
            f"Hinweis: „Handlungsbedarf“ zu {sub_id} war inzwischen in einem anderen Fenster geändert "
            "worden. Gespeichert ist jetzt Ihre Auswahl."
        )
    # The field not saved keeps what this tab showed: a change made elsewhere is still news.
    shown.notes[sub_id] = NoteState(
        seen.note if note is None else clean(note),
        seen.action_needed if flag is None else flag,
    )


def show_notices() -> None:
    """The collected notices, once, above the step."""
    for text in st.session_state.pop(NOTICES, []):
        st.warning(text, icon=":material/sync_problem:")
