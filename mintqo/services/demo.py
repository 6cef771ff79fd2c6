"""Demo data: a complete, plausible self-analysis and a released workshop group of 8 projects."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups

DEMO_REGION = "Musterregion"
# Seven more projects of the demo group: (initiative, project, MINT field, level per criterion,
# share of "weiß nicht"). Varied on purpose, so that medians, spread and open points differ.
_GROUP = (
    ("Makerspace Hafenwerk e. V.", "Offene Werkstatt Elektronik", "Technik", (2.9, 2.2, 1.9), 0.03),
    ("MINT-Stiftung Lindenau", "Mädchen-Technik-Tage", "MINT übergreifend", (3.5, 3.3, 2.9), 0.02),
    ("Sternwarte am Deich", "Astronomie-AG", "Naturwissenschaften", (3.0, 2.0, 1.6), 0.10),
    ("Coding Club Altstadt", "Programmieren ab 10", "Informatik", (3.2, 2.6, 2.4), 0.05),
    ("Schülerlabor Uni Musterstadt", "Chemie-Ferienkurs", "Naturwissenschaften", (3.6, 3.4, 3.1), 0.01),
    ("Verein Mathe macht Spaß", "Knobelnachmittage", "Mathematik", (2.6, 1.9, 1.8), 0.12),
    (
        "Jugend forscht Patenschaft Nord",
        "Projektbegleitung Wettbewerb",
        "MINT übergreifend",
        (3.1, 2.8, 3.2),
        0.04,
    ),
)

# A plausible profile: a lab strong on offer design, weaker on evidence of outcomes.
_LEVELS = {"A": 3.3, "B": 2.7, "C": 2.0}
_NOTES = {
    "A1": "Bedarf mit drei Partnerschulen besprochen (Protokoll vom März).",
    "C2": "Wir haben bisher nur Zufriedenheit erhoben, keine Wirkungen.",
    "C3": "Idee: kurzer Vorher-Nachher-Fragebogen im nächsten Kurs.",
}


def _value(rng: random.Random, level: float, dont_know: float = 0.04) -> str:
    roll = rng.random()
    if roll < dont_know:
        return DONT_KNOW
    if roll < dont_know + 0.02:
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


@dataclass(frozen=True)
class DemoGroup:
    """The demo workshop group: its codes and two participants' access codes."""

    group_id: int
    facilitator_code: str
    join_code: str
    participant_codes: tuple[str, ...]


def create_demo_group(
    session: Session, questionnaire: Questionnaire, first: analyses.Started, today: date | None = None
) -> DemoGroup:
    """A workshop group of 8 submitted projects (the demo analysis and 7 more), released once."""
    today = today or date.today()
    spec = GroupSpec(
        name="Demo-Workshop Musterregion",
        region=DEMO_REGION,
        part1=today - timedelta(days=28),
        part2=today + timedelta(days=7),
        part3=today + timedelta(days=70),
        k=3,
    )
    created = groups.create_group(session, questionnaire, spec)
    groups.join_group(session, first.analysis_id, created.join_code, today)
    rng = random.Random(8)
    codes = [first.code]
    for initiative, project, field, levels, dont_know in _GROUP:
        started = analyses.start_analysis(
            session,
            questionnaire,
            Profile(initiative=f"Demo: {initiative}", project=project, region=DEMO_REGION, mint_field=field),
        )
        info = analyses.analysis_info(session, started.analysis_id)
        by_criterion = dict(zip((c.id for c in questionnaire.criteria), levels, strict=False))
        for crit in questionnaire.criteria:
            for sub in crit.subcriteria:
                offset = rng.uniform(-0.5, 0.5)  # each project has its own ups and downs
                for st in sub.statements:
                    value = _value(rng, by_criterion.get(crit.id, 2.5) + offset, dont_know)
                    analyses.record_answer(
                        session, questionnaire, info.analysis_id, info.rater_id, st.id, value
                    )
        groups.join_group(session, started.analysis_id, created.join_code, today)
        analyses.submit(session, started.analysis_id)
        codes.append(started.code)
    groups.release(session, created.group_id, questionnaire)
    return DemoGroup(created.group_id, created.facilitator_code, created.join_code, tuple(codes[:2]))
