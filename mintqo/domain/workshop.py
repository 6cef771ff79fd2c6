"""Workshop groups as plain data: validated set-up, the region key, slides and the agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from mintqo.domain.anonymity import DEFAULT_K, MIN_K, GroupPicture
from mintqo.domain.histograms import AxisStat, sub_item
from mintqo.domain.profile import clean_text
from mintqo.domain.questionnaire import Questionnaire, SubCriterion
from mintqo.domain.scoring import format_score

MAX_K = 50


@dataclass(frozen=True)
class GroupSpec:
    """Cleaned set-up of a workshop group."""

    name: str
    region: str
    part1: date | None = None
    part2: date | None = None
    part3: date | None = None
    k: int = DEFAULT_K

    @property
    def join_until(self) -> date | None:
        """Last day the join code works: the day of part 2, when it is known."""
        return self.part2


def region_key(region: str) -> str:
    """Groups with the same region (ignoring case and spacing) share a region benchmark."""
    return clean_text(region).casefold()


def validate_group(
    name: str | None,
    region: str | None,
    part1: date | None = None,
    part2: date | None = None,
    part3: date | None = None,
    k: int | None = DEFAULT_K,
) -> tuple[GroupSpec | None, dict[str, str]]:
    """Check the set-up form; returns the spec or German messages per field."""
    errors: dict[str, str] = {}
    clean_name, clean_region = clean_text(name), clean_text(region)
    if len(clean_name) < 2:
        errors["name"] = "Bitte geben Sie der Workshopgruppe einen Namen (mindestens 2 Zeichen)."
    elif len(clean_name) > 120:
        errors["name"] = "Der Name der Workshopgruppe darf höchstens 120 Zeichen haben."
    if len(clean_region) < 2:
        errors["region"] = "Bitte geben Sie die Region an – sie bestimmt den Regionalvergleich."
    elif len(clean_region) > 80:
        errors["region"] = "Die Region darf höchstens 80 Zeichen haben."
    if k is None or isinstance(k, bool) or not isinstance(k, int) or not MIN_K <= k <= MAX_K:
        errors["k"] = f"Die Anonymitätsschwelle muss zwischen {MIN_K} und {MAX_K} liegen."
    dated = [(label, d) for label, d in (("Teil 1", part1), ("Teil 2", part2), ("Teil 3", part3)) if d]
    for (label_a, a), (label_b, b) in pairwise(dated):
        if b < a:
            errors["dates"] = f"{label_b} kann nicht vor {label_a} liegen."
            break
    if errors:
        return None, errors
    return GroupSpec(clean_name, clean_region, part1, part2, part3, int(k or DEFAULT_K)), {}


@dataclass(frozen=True)
class Slide:
    """One slide of the presentation: the overview, a main criterion, a sub-criterion or the agenda."""

    kind: str  # "overview" | "criterion" | "sub" | "agenda"
    ref: str
    title: str


def slides(questionnaire: Questionnaire) -> list[Slide]:
    """Presentation order: overview, each main criterion followed by its sub-criteria, agenda."""
    out = [Slide("overview", "", "Überblick: das Gruppenbild")]
    for crit in questionnaire.criteria:
        out.append(Slide("criterion", crit.id, f"{crit.id} {crit.title}"))
        out.extend(Slide("sub", sub.id, sub.label) for sub in crit.subcriteria)
    out.append(Slide("agenda", "", "Diskussionsagenda"))
    return out


@dataclass(frozen=True)
class AgendaEntry:
    """A sub-criterion worth discussing, with the figure that put it on the agenda."""

    subcriterion: SubCriterion
    figure: str


@dataclass(frozen=True)
class Agenda:
    """The three lists of the automatic discussion agenda."""

    lowest: list[AgendaEntry]
    widest: list[AgendaEntry]
    dont_know: list[AgendaEntry]

    @property
    def empty(self) -> bool:
        """Whether there is nothing to put on the agenda (e.g. below the threshold)."""
        return not (self.lowest or self.widest or self.dont_know)


def agenda(questionnaire: Questionnaire, pic: GroupPicture, size: int = 3) -> Agenda:
    """Lowest group medians, widest interquartile ranges, most "weiß nicht" – drawable axes only."""
    stats: list[tuple[SubCriterion, AxisStat]] = []
    for sub in questionnaire.subcriteria:
        axis = pic.axes.get(sub_item(sub.id))
        if isinstance(axis, AxisStat) and axis.median is not None:
            stats.append((sub, axis))
    order = {sub.id: i for i, sub in enumerate(questionnaire.subcriteria)}
    lowest = sorted(stats, key=lambda p: (p[1].median, order[p[0].id]))[:size]
    widest = sorted(
        (p for p in stats if (p[1].q3 or 0) - (p[1].q1 or 0) > 0),
        key=lambda p: (-((p[1].q3 or 0) - (p[1].q1 or 0)), order[p[0].id]),
    )[:size]
    dk = sorted(
        ((sub, n) for sub in questionnaire.subcriteria if (n := pic.dont_know.get(sub.id, 0)) > 0),
        key=lambda p: (-p[1], order[p[0].id]),
    )[:size]
    return Agenda(
        lowest=[AgendaEntry(sub, f"Median {format_score(s.median)}") for sub, s in lowest],
        widest=[
            AgendaEntry(sub, f"mittlere 50 %: {format_score(s.q1)} bis {format_score(s.q3)}")
            for sub, s in widest
        ],
        dont_know=[AgendaEntry(sub, f"{n}× „weiß nicht“") for sub, n in dk],
    )


def format_shift(shift: float) -> str:
    """German display of a median shift: "+0,5", "−0,3", "±0,0"."""
    sign = "+" if shift > 0 else ("±" if shift == 0 else "−")
    return f"{sign}{format_score(abs(shift))}"
