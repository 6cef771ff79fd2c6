"""Demo data: one initiative with a complete, plausible self-analysis."""

from __future__ import annotations

import random

from sqlalchemy.orm import Session

from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire
from mintqo.services import analyses

# A plausible profile: a lab strong on offer design, weaker on evidence of outcomes.
_LEVELS = {"A": 3.3, "B": 2.7, "C": 2.0}
_NOTES = {
    "A1": "Bedarf mit drei Partnerschulen besprochen (Protokoll vom März).",
    "C2": "Wir haben bisher nur Zufriedenheit erhoben, keine Wirkungen.",
    "C3": "Idee: kurzer Vorher-Nachher-Fragebogen im nächsten Kurs.",
}


def _value(rng: random.Random, level: float) -> str:
    roll = rng.random()
    if roll < 0.04:
        return DONT_KNOW
    if roll < 0.06:
        return NOT_APPLICABLE
    return str(min(4, max(1, round(rng.gauss(level, 0.7)))))


def create_demo(session: Session, questionnaire: Questionnaire, *, submit: bool = True) -> analyses.Started:
    """Create the demo initiative and its analysis; returns the id and the access code."""
    rng = random.Random(2026)
    started = analyses.start_analysis(
        session,
        questionnaire,
        Profile(
            initiative="Demo: Schülerforschungszentrum Musterstadt",
            project="Forscherclub Robotik (Kl. 5–7)",
            region="Musterregion",
            target_group="Schülerinnen und Schüler der Klassen 5–7",
            mint_field="Technik",
        ),
    )
    info = analyses.analysis_info(session, started.analysis_id)
    for crit in questionnaire.criteria:
        for sub in crit.subcriteria:
            for st in sub.statements:
                value = _value(rng, _LEVELS.get(crit.id, 2.5))
                analyses.record_answer(
                    session,
                    questionnaire,
                    info.analysis_id,
                    info.rater_id,
                    st.id,
                    value,
                )
            if sub.id in _NOTES:
                analyses.save_note(
                    session,
                    questionnaire,
                    info.analysis_id,
                    sub.id,
                    note=_NOTES[sub.id],
                    action_needed=sub.id != "A1",
                )
    if submit:
        analyses.submit(session, info.analysis_id)
    return started
