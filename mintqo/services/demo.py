"""Demo data: a complete, plausible self-analysis and a workshop group of 8 projects, two rounds released."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire
from mintqo.domain.workshop import GroupSpec
from mintqo.services import analyses, groups, measures, releases, rounds, team
from mintqo.services.answers import record_answer, save_note

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


# The demo team: Jana started the analysis, Alex and Bea joined with the same access code.
FIRST_MEMBER = "Jana"


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
    # The person who started has named herself, like every member (nobody is called "Team").
    team.rename(session, info.analysis_id, info.rater_id, FIRST_MEMBER)
    for crit in questionnaire.criteria:
        for sub in crit.subcriteria:
            for st in sub.statements:
                value = _value(rng, _LEVELS.get(crit.id, 2.5))
                record_answer(
                    session,
                    questionnaire,
                    info.analysis_id,
                    info.rater_id,
                    st.id,
                    value,
                )
            if sub.id in _NOTES:
                save_note(
                    session,
                    questionnaire,
                    info.analysis_id,
                    sub.id,
                    note=_NOTES[sub.id],
                    action_needed=sub.id != "A1",
                )
    _team(session, questionnaire, info.analysis_id, rng)
    if submit:
        analyses.submit(session, info.analysis_id)
    return started


# Two colleagues rate the demo project too: Alex sees outcomes more optimistically, Bea is unsure
# about finances. The team has already agreed on two statements.
_AGREED = {
    "C2.1": ("2", "Wir haben nur Zufriedenheitsbögen, keine Wirkungsdaten."),
    "B2.1": ("3", "Zusage bis 2027."),
}


def _team(session: Session, questionnaire: Questionnaire, analysis_id: int, rng: random.Random) -> None:
    base = team.counting_answers(session, questionnaire, analysis_id)
    for name, shift, unsure in (("Alex", 1, ()), ("Bea", 0, ("B2.1", "B2.2", "B2.3"))):
        rater_id = team.member(session, analysis_id, name)
        for sid, value in base.items():
            new = value
            if sid in unsure:
                new = DONT_KNOW
            elif value.isdigit() and sid.startswith("C") and rng.random() < 0.5:
                new = str(min(4, int(value) + 1 + shift))
            record_answer(session, questionnaire, analysis_id, rater_id, sid, new)
    for sid, (value, reason) in _AGREED.items():
        team.agree(session, questionnaire, analysis_id, sid, value, reason)


_MEASURES = (
    ("C2", "Kurzer Vorher-Nachher-Fragebogen im Frühjahrskurs", "Jana", 40, "umgesetzt"),
    ("C3", "Drei Indikatoren für unsere Wirkungsziele festlegen", "Alex und Bea", 60, "begonnen"),
    ("B2", "Zweite Förderquelle (Stiftung) anfragen", "Leitung", 90, "geplant"),
)


def _measures_and_second_round(
    session: Session, questionnaire: Questionnaire, analysis_id: int, rng: random.Random, today: date
) -> int:
    """Measures after round 1, then a submitted round 2 where the implemented ones show."""
    for sub_id, what, who, days, status in _MEASURES:
        spec = MeasureSpec(sub_id, what, who, today + timedelta(days=days), status)
        measures.add_measure(session, questionnaire, analysis_id, spec)
    project_id = analyses.analysis_info(session, analysis_id).project_id
    new_id = rounds.start_next_round(session, questionnaire, questionnaire, project_id, prefill=True)
    info = analyses.analysis_info(session, new_id)
    improved = {"C2", "C3", "B2", "A2"}
    for sub in questionnaire.subcriteria:
        if sub.id not in improved:
            continue
        view = team.team_view(session, questionnaire, new_id)
        for st in sub.statements:
            before = team.counting_answers(session, questionnaire, new_id).get(st.id, "2")
            # The change worked: one step better than before (a "weiß nicht" is now answered).
            value = str(min(4, int(before) + 1)) if before.isdigit() else str(2 + rng.randint(0, 1))
            for rater_id in view.raters:
                record_answer(session, questionnaire, new_id, rater_id, st.id, value)
            if st.id in _AGREED:
                team.agree(session, questionnaire, new_id, st.id, value, "In Runde 2 neu vereinbart.")
    analyses.submit(session, info.analysis_id)
    return new_id


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
    ids = [first.analysis_id]
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
                    record_answer(session, questionnaire, info.analysis_id, info.rater_id, st.id, value)
        groups.join_group(session, started.analysis_id, created.join_code, today)
        analyses.submit(session, started.analysis_id)
        codes.append(started.code)
        ids.append(started.analysis_id)
    releases.release(session, created.group_id, questionnaire)
    # Workshop part 3: five projects (the first one with its team and measures) did a second round;
    # the other three count with their round-1 state (docs/privacy.md, rule 3).
    for aid in [first.analysis_id, *ids[2:6]]:
        _measures_and_second_round(session, questionnaire, aid, rng, today)
    releases.release(session, created.group_id, questionnaire, round_no=2)
    return DemoGroup(created.group_id, created.facilitator_code, created.join_code, tuple(codes[:2]))
