"""A small valid questionnaire as a plain dict (2 criteria × 2 sub-criteria, 10 statements)."""

from __future__ import annotations

import copy
from typing import Any

# Titles are deliberately NOT in alphabetical order of the walkthrough, so a ranking that
# sorted ties by title (or by id in reverse) instead of keeping questionnaire order fails.
_SMALL: dict[str, Any] = {
    "format": 1,
    "edition": "test-2026.1",
    "title": "Test-Fragebogen",
    "short_title": "Test",
    "language": "de",
    "description": "Kleiner Fragebogen für Unit-Tests.",
    "scale": [
        {"value": "1", "label": "trifft nicht zu", "short": "nicht", "score": 1},
        {"value": "2", "label": "trifft eher nicht zu", "short": "eher nicht", "score": 2},
        {"value": "3", "label": "trifft eher zu", "short": "eher zu", "score": 3},
        {"value": "4", "label": "trifft voll zu", "short": "voll", "score": 4},
        {"value": "na", "label": "nicht zutreffend", "short": "n. z.", "score": None},
        {"value": "dk", "label": "weiß nicht", "short": "weiß nicht", "score": None},
    ],
    "criteria": [
        {
            "id": "A",
            "title": "Angebotsqualität",
            "description": "Wie gut das Angebot gestaltet ist.",
            "subcriteria": [
                {
                    "id": "A1",
                    "title": "Zielgruppen",
                    "explanation": "Für wen ist das Angebot?",
                    "example": "Ein Schülerlabor lädt über Schulen ein.",
                    "statements": [
                        {"id": "A1.1", "text": "Wir kennen unsere Zielgruppe."},
                        {"id": "A1.2", "text": "Wir erreichen unsere Zielgruppe."},
                        {"id": "A1.3", "text": "Wir prüfen, wer teilnimmt."},
                    ],
                },
                {
                    "id": "A2",
                    "title": "Methoden",
                    "explanation": "Wie wird gelernt?",
                    "example": "Ein Makerspace arbeitet mit Projekten.",
                    "statements": [
                        {"id": "A2.1", "text": "Wir lernen handlungsorientiert."},
                        {"id": "A2.2", "text": "Wir passen Methoden an."},
                    ],
                },
            ],
        },
        {
            "id": "B",
            "title": "Ressourcenqualität",
            "description": "Womit das Angebot arbeitet.",
            "subcriteria": [
                {
                    "id": "B1",
                    "title": "Bedarf",
                    "explanation": "Warum braucht es das Angebot?",
                    "example": "Eine Initiative spricht mit Schulen.",
                    "statements": [
                        {"id": "B1.1", "text": "Wir kennen den Bedarf."},
                        {"id": "B1.2", "text": "Wir belegen den Bedarf."},
                    ],
                },
                {
                    "id": "B2",
                    "title": "Finanzierung",
                    "explanation": "Wie ist das Angebot finanziert?",
                    "example": "Ein Verein hat mehrere Förderer.",
                    "statements": [
                        {"id": "B2.1", "text": "Die Finanzierung ist gesichert."},
                        {"id": "B2.2", "text": "Wir haben mehrere Geldgeber."},
                        {"id": "B2.3", "text": "Wir planen die Finanzierung voraus."},
                    ],
                },
            ],
        },
    ],
}


def small_dict() -> dict[str, Any]:
    """A fresh deep copy of a valid questionnaire dict: 2 criteria × 2 sub-criteria, 10 statements."""
    return copy.deepcopy(_SMALL)
