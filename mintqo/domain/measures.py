"""Measures: validated planned changes per sub-criterion (what, who, by when, status)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mintqo.domain.profile import clean_text

STATUSES: tuple[str, ...] = ("geplant", "begonnen", "umgesetzt", "verworfen")
MAX_WHAT, MAX_WHO, MAX_NOTE = 300, 120, 2000


@dataclass(frozen=True)
class MeasureSpec:
    """A cleaned measure."""

    subcriterion_id: str
    what: str
    who: str = ""
    due: date | None = None
    status: str = "geplant"
    note: str = ""


def validate_measure(
    subcriterion_id: str | None,
    what: str | None,
    who: str | None = None,
    due: date | None = None,
    status: str | None = "geplant",
    note: str | None = None,
) -> tuple[MeasureSpec | None, dict[str, str]]:
    """Check the measure form; returns the spec or German messages per field."""
    errors: dict[str, str] = {}
    what_c, who_c, note_c = clean_text(what), clean_text(who), (note or "").strip()
    if not subcriterion_id:
        errors["subcriterion"] = "Bitte wählen Sie das Unterkriterium, zu dem die Maßnahme gehört."
    if len(what_c) < 3:
        errors["what"] = "Bitte beschreiben Sie kurz, was Sie tun wollen (mindestens 3 Zeichen)."
    elif len(what_c) > MAX_WHAT:
        errors["what"] = f"Die Beschreibung darf höchstens {MAX_WHAT} Zeichen haben."
    if len(who_c) > MAX_WHO:
        errors["who"] = f"„Wer“ darf höchstens {MAX_WHO} Zeichen haben."
    if len(note_c) > MAX_NOTE:
        errors["note"] = f"Die Notiz darf höchstens {MAX_NOTE} Zeichen haben."
    if status not in STATUSES:
        errors["status"] = "Bitte wählen Sie einen Status: geplant, begonnen, umgesetzt oder verworfen."
    if errors:
        return None, errors
    return MeasureSpec(str(subcriterion_id), what_c, who_c, due, str(status), note_c), {}
