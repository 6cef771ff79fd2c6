"""Validate what an initiative enters when it starts an analysis."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MINT_FIELDS: tuple[str, ...] = (
    "Mathematik",
    "Informatik",
    "Naturwissenschaften",
    "Technik",
    "MINT übergreifend",
)

# (field, German label, required, min length, max length)
_FIELDS: tuple[tuple[str, str, bool, int, int], ...] = (
    ("initiative", "Name der Initiative", True, 2, 120),
    ("project", "Name des Projekts", True, 2, 120),
    ("region", "Region", False, 0, 80),
    ("target_group", "Zielgruppe", False, 0, 200),
)


@dataclass(frozen=True)
class Profile:
    """Cleaned start data of a new self-analysis."""

    initiative: str
    project: str
    region: str | None = None
    target_group: str | None = None
    mint_field: str | None = None


def clean_text(value: str | None) -> str:
    """Trim, collapse whitespace and drop control characters."""
    if not value:
        return ""
    kept = "".join(ch for ch in value if unicodedata.category(ch)[0] != "C" or ch in " \t\n")
    return " ".join(kept.split())


def validate_profile(
    initiative: str | None,
    project: str | None,
    region: str | None = None,
    target_group: str | None = None,
    mint_field: str | None = None,
) -> tuple[Profile | None, dict[str, str]]:
    """Return the cleaned profile, or None and a German message per invalid field."""
    raw = {
        "initiative": initiative,
        "project": project,
        "region": region,
        "target_group": target_group,
    }
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, label, required, min_len, max_len in _FIELDS:
        value = clean_text(raw[key])
        if required and not value:
            errors[key] = f"Bitte geben Sie „{label}“ an."
        elif value and len(value) < min_len:
            errors[key] = f"„{label}“ ist zu kurz (mindestens {min_len} Zeichen)."
        elif len(value) > max_len:
            errors[key] = f"„{label}“ ist zu lang ({len(value)} Zeichen, höchstens {max_len})."
        cleaned[key] = value
    if mint_field and mint_field not in MINT_FIELDS:
        errors["mint_field"] = "Bitte wählen Sie einen MINT-Bereich aus der Liste."
    if errors:
        return None, errors
    return (
        Profile(
            initiative=cleaned["initiative"],
            project=cleaned["project"],
            region=cleaned["region"] or None,
            target_group=cleaned["target_group"] or None,
            mint_field=mint_field or None,
        ),
        {},
    )
