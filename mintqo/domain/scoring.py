"""Honest scoring: means over scoring answers only, counts behind every score, ranking, summary."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from mintqo.domain.progress import progress
from mintqo.domain.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    Questionnaire,
    SubCriterion,
)


class Band(Enum):
    """Category of a score: the framework's red / amber / green bands, green split at 3,3.

    A shown 3,0 means "weitgehend umgesetzt" – solid, not yet a strength; a strength needs at
    least 3,3 (some statements "trifft voll zu"). Every page, list and report uses these names.
    """

    DEVELOPMENT = "Entwicklungsfeld"
    EXPANDABLE = "ausbaufähig"
    SOLID = "solide"
    STRENGTH = "Stärke"

    @property
    def color(self) -> str:
        """Display colour (red / dark amber / green; each 5:1+ against white and under white text)."""
        return {
            "Entwicklungsfeld": "#c0392b",
            "ausbaufähig": "#9a6200",
            "solide": "#4f7d2a",
            "Stärke": "#23764a",
        }[self.value]


def round_score(mean: float) -> float:
    """Round half up to one decimal, the precision every score is shown and banded with."""
    return float(Decimal(repr(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


STRENGTH_FROM = 3.3  # shown score from which a sub-criterion is a strength


def band_of(mean: float) -> Band:
    """Band of a mean on the 1–4 scale (1,0–1,9 / 2,0–2,9 / 3,0–3,2 / 3,3–4,0 after rounding)."""
    shown = round_score(mean)
    if shown < 2.0:
        return Band.DEVELOPMENT
    if shown < 3.0:
        return Band.EXPANDABLE
    return Band.SOLID if shown < STRENGTH_FROM else Band.STRENGTH


def format_score(mean: float | None) -> str:
    """German display of a score: "3,4" or "keine Bewertung"."""
    if mean is None:
        return "keine Bewertung"
    return f"{round_score(mean):.1f}".replace(".", ",")


@dataclass(frozen=True)
class SubScore:
    """Score of one sub-criterion and the answers it rests on."""

    subcriterion: SubCriterion
    mean: float | None
    n_scoring: int
    n_not_applicable: int
    n_dont_know: int
    n_open: int

    @property
    def band(self) -> Band | None:
        """Colour band, or None without a scoring answer."""
        return None if self.mean is None else band_of(self.mean)

    @property
    def n_total(self) -> int:
        """Number of statements in the sub-criterion."""
        return len(self.subcriterion.statements)


@dataclass(frozen=True)
class CriterionScore:
    """Main criterion score: mean of its scored sub-criteria."""

    id: str
    title: str
    mean: float | None
    n_subcriteria: int
    n_scoring: int

    @property
    def band(self) -> Band | None:
        """Colour band, or None without any scored sub-criterion."""
        return None if self.mean is None else band_of(self.mean)


@dataclass(frozen=True)
class Results:
    """All scores of one analysis."""

    subscores: tuple[SubScore, ...]
    criteria: tuple[CriterionScore, ...]
    answered: int
    total: int

    def strengths(self) -> list[SubScore]:
        """Sub-criteria in the band "Stärke" (from 3,3), best first; ties keep questionnaire order."""
        scored = [s for s in self.subscores if s.band is Band.STRENGTH]
        return sorted(scored, key=lambda s: -round_score(s.mean or 0))

    def development_areas(self) -> list[SubScore]:
        """Sub-criteria in the red or amber band, weakest first; ties keep questionnaire order."""
        scored = [s for s in self.subscores if s.band in (Band.DEVELOPMENT, Band.EXPANDABLE)]
        return sorted(scored, key=lambda s: round_score(s.mean or 0))

    def solid(self) -> list[SubScore]:
        """Sub-criteria in the band "solide" (3,0–3,2), in questionnaire order."""
        return [s for s in self.subscores if s.band is Band.SOLID]

    def unscored(self) -> list[SubScore]:
        """Sub-criteria without any scoring answer."""
        return [s for s in self.subscores if s.mean is None]


def score_subcriterion(sub: SubCriterion, answers: Mapping[str, str]) -> SubScore:
    """Mean of the 1–4 answers; "nicht zutreffend" and "weiß nicht" are counted, never scored."""
    values = [answers.get(st.id) for st in sub.statements]
    scoring = [int(v) for v in values if v is not None and v.isdigit()]
    return SubScore(
        subcriterion=sub,
        mean=sum(scoring) / len(scoring) if scoring else None,
        n_scoring=len(scoring),
        n_not_applicable=values.count(NOT_APPLICABLE),
        n_dont_know=values.count(DONT_KNOW),
        n_open=values.count(None),
    )


def score_analysis(questionnaire: Questionnaire, answers: Mapping[str, str]) -> Results:
    """Scores for every sub-criterion and main criterion of one analysis."""
    subscores = tuple(score_subcriterion(sub, answers) for sub in questionnaire.subcriteria)
    by_id = {s.subcriterion.id: s for s in subscores}
    criteria = []
    for crit in questionnaire.criteria:
        parts = [by_id[sub.id] for sub in crit.subcriteria]
        means = [p.mean for p in parts if p.mean is not None]
        criteria.append(
            CriterionScore(
                id=crit.id,
                title=crit.title,
                mean=sum(means) / len(means) if means else None,
                n_subcriteria=len(means),
                n_scoring=sum(p.n_scoring for p in parts),
            )
        )
    done = progress(questionnaire, answers)
    return Results(subscores, tuple(criteria), done.answered, done.total)


def open_points(questionnaire: Questionnaire, answers: Mapping[str, str]) -> list[tuple[str, str]]:
    """Statements answered "weiß nicht", as (statement id, text), in questionnaire order."""
    return [(st.id, st.text) for st in questionnaire.statements() if answers.get(st.id) == DONT_KNOW]


def _names(items: list[SubScore]) -> str:
    quoted = [f"„{s.subcriterion.title}“" for s in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " und " + quoted[-1]


def summary(results: Results) -> list[str]:
    """Plain-language German sentences describing the results."""
    lines: list[str] = []
    if results.answered == 0:
        return ["Sie haben noch keine Aussage bewertet. Beginnen Sie mit der Durchführung."]
    scored = any(s.mean is not None for s in results.subscores)
    strengths = results.strengths()
    if not scored:
        lines.append("Noch keine Aussage ist mit 1–4 bewertet – daher gibt es noch keine Werte.")
    elif strengths:
        best = round_score(strengths[0].mean or 0)
        top = [s for s in strengths if round_score(s.mean or 0) == best]
        verb = "Ihre größte Stärke ist" if len(top) == 1 else "Ihre größten Stärken sind"
        lines.append(f"{verb} {_names(top)} ({format_score(best)} von 4).")
    else:
        lines.append("Noch kein Unterkriterium erreicht den Bereich „Stärke“ (ab 3,3).")
    areas = results.development_areas()
    if areas:
        worst = round_score(areas[0].mean or 0)
        low = [s for s in areas if round_score(s.mean or 0) == worst]
        verb = "Den größten Entwicklungsbedarf sehen Sie bei"
        lines.append(f"{verb} {_names(low)} ({format_score(worst)} von 4).")
        if len(areas) == 1:
            lines.append("Insgesamt liegt 1 Unterkriterium unter 3,0.")
        else:
            lines.append(f"Insgesamt liegen {len(areas)} Unterkriterien unter 3,0.")
    elif strengths and not results.solid():
        lines.append("Alle bewerteten Unterkriterien liegen im Bereich „Stärke“.")
    elif scored:
        lines.append("Kein bewertetes Unterkriterium liegt unter 3,0.")
    best_crit = [c for c in results.criteria if c.mean is not None]
    if len(best_crit) == 1:  # "am besten" needs a second one to compare with
        only = best_crit[0]
        lines.append(
            f"Bisher hat nur das Hauptkriterium „{only.title}“ einen Wert ({format_score(only.mean)})."
        )
    elif best_crit:
        top_crit = max(best_crit, key=lambda c: round_score(c.mean or 0))
        lines.append(
            f"Unter den Hauptkriterien schneidet „{top_crit.title}“ am besten ab "
            f"({format_score(top_crit.mean)})."
        )
    dont_know = sum(s.n_dont_know for s in results.subscores)
    if dont_know:
        what = "1 Aussage ist" if dont_know == 1 else f"{dont_know} Aussagen sind"
        lines.append(f"{what} noch mit „weiß nicht“ markiert – klären Sie das im Team.")
    missing = results.total - results.answered
    if missing:
        verb = "ist" if missing == 1 else "sind"
        lines.append(f"{missing} von {results.total} Aussagen {verb} noch unbeantwortet.")
    return lines


def table_rows(results: Results) -> list[dict[str, str | int]]:
    """The accessible twin of the charts: one row per sub-criterion with the counts behind it."""
    rows: list[dict[str, str | int]] = []
    for s in results.subscores:
        rows.append(
            {
                "Id": s.subcriterion.id,
                "Unterkriterium": s.subcriterion.title,
                "Wert (1–4)": format_score(s.mean),
                "Einstufung": s.band.value if s.band else "–",
                "bewertet": s.n_scoring,
                "nicht zutreffend": s.n_not_applicable,
                "weiß nicht": s.n_dont_know,
                "offen": s.n_open,
            }
        )
    return rows
