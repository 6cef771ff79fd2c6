"""Group benchmarks from additive histograms: contributions, merging, median and quartiles.

Every submitted analysis contributes exactly one bin to every item's histogram (a statement's
answer, a sub-criterion's or main criterion's score rounded to one decimal, or "none").
Histograms of a group, a region and the whole instance are sums of these, so a benchmark
costs the same whatever the number of analyses, and merging needs no raw answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from math import floor

from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.domain.scoring import round_score, score_analysis

OPEN = "open"  # a statement left unanswered in a submitted analysis
NONE = "none"  # a score that rests on no rating
STATEMENT_BINS: tuple[str, ...] = (*ANSWER_VALUES, OPEN)

Histogram = Mapping[str, int]
Histograms = Mapping[str, Histogram]


def statement_item(statement_id: str) -> str:
    """Histogram key of a statement's answers."""
    return f"s:{statement_id}"


def sub_item(sub_id: str) -> str:
    """Histogram key of a sub-criterion's scores."""
    return f"u:{sub_id}"


def criterion_item(criterion_id: str) -> str:
    """Histogram key of a main criterion's scores."""
    return f"c:{criterion_id}"


def dont_know_item(sub_id: str) -> str:
    """Histogram key of the number of "weiß nicht" answers in a sub-criterion."""
    return f"d:{sub_id}"


def measure_item(sub_id: str, status: str) -> str:
    """Histogram key of the number of measures with a status for a sub-criterion."""
    return f"m:{sub_id}:{status}"


def answer_part(contrib: Mapping[str, str]) -> dict[str, str]:
    """A contribution without its measure counts: the items derived from the answers."""
    return {item: b for item, b in contrib.items() if not item.startswith("m:")}


def score_bin(mean: float | None) -> str:
    """Bin of a score: tenths on the 1–4 scale ("10" … "40"), or "none" without a rating."""
    if mean is None:
        return NONE
    # The same half-up rounding as every displayed score, so a band never disagrees with it.
    return str(round(round_score(mean) * 10))


def contribution(
    questionnaire: Questionnaire,
    answers: Mapping[str, str],
    measure_counts: Mapping[tuple[str, str], int] | None = None,
) -> dict[str, str]:
    """The one bin one analysis adds to every item's histogram.

    With `measure_counts` ((sub-criterion, status) → number), the project's measures count too,
    as one bin per sub-criterion and status, so group counts follow the same rules.
    """
    out: dict[str, str] = {}
    if measure_counts is not None:
        for sub in questionnaire.subcriteria:
            for status in MEASURE_STATUSES:
                out[measure_item(sub.id, status)] = str(measure_counts.get((sub.id, status), 0))
    for st in questionnaire.statements():
        out[statement_item(st.id)] = answers.get(st.id, OPEN)
    results = score_analysis(questionnaire, answers)
    for score in results.subscores:
        out[sub_item(score.subcriterion.id)] = score_bin(score.mean)
        out[dont_know_item(score.subcriterion.id)] = str(score.n_dont_know)
    for crit in results.criteria:
        out[criterion_item(crit.id)] = score_bin(crit.mean)
    return out


def merge(parts: Iterable[Mapping[str, Mapping[str, int]]]) -> dict[str, Counter[str]]:
    """Sum histograms item by item (a group's, a region's, the nation's)."""
    total: dict[str, Counter[str]] = {}
    for part in parts:
        for item, hist in part.items():
            total.setdefault(item, Counter()).update(hist)
    return total


def from_rows(rows: Iterable[tuple[str, str, int]]) -> dict[str, dict[str, int]]:
    """Histograms from stored (item, bin, count) rows."""
    out: dict[str, dict[str, int]] = {}
    for item, b, c in rows:
        out.setdefault(item, {})[b] = c
    return out


def histograms_of(contributions: Iterable[Mapping[str, str]]) -> dict[str, Counter[str]]:
    """Histograms over a set of analyses' contributions."""
    total: dict[str, Counter[str]] = {}
    for contrib in contributions:
        for item, b in contrib.items():
            total.setdefault(item, Counter())[b] += 1
    return total


def scored_values(hist: Histogram) -> list[tuple[float, int]]:
    """(score, count) pairs of a score histogram, ascending, without "none"."""
    pairs = [(int(b) / 10, c) for b, c in hist.items() if b != NONE and c > 0]
    return sorted(pairs)


def _order_statistic(pairs: list[tuple[float, int]], index: int) -> float:
    """The value at 0-based position `index` of the sorted expansion of (value, count) pairs."""
    seen = 0
    for value, count in pairs:
        seen += count
        if index < seen:
            return value
    raise IndexError(index)


def quantile(pairs: list[tuple[float, int]], q: float) -> float:
    """Quantile by linear interpolation between order statistics (Python's "inclusive" method)."""
    n = sum(c for _, c in pairs)
    if n == 0:
        raise ValueError("empty histogram")
    position = q * (n - 1)
    low = floor(position)
    frac = position - low
    lo_value = _order_statistic(pairs, low)
    if frac == 0:
        return lo_value
    hi_value = _order_statistic(pairs, low + 1)
    return lo_value + (hi_value - lo_value) * frac


@dataclass(frozen=True)
class AxisStat:
    """Median and interquartile range of one axis, with the number of analyses it rests on."""

    item: str
    n: int
    q1: float | None
    median: float | None
    q3: float | None


def axis_stat(item: str, hist: Histogram) -> AxisStat:
    """Median and quartiles of a score histogram; None values when no analysis has a score."""
    pairs = scored_values(hist)
    n = sum(c for _, c in pairs)
    if n == 0:
        return AxisStat(item, 0, None, None, None)
    return AxisStat(item, n, quantile(pairs, 0.25), quantile(pairs, 0.5), quantile(pairs, 0.75))


def members(hists: Histograms) -> int:
    """Number of analyses behind a set of histograms (each adds one bin to every item)."""
    return max((sum(h.values()) for h in hists.values()), default=0)


def dont_know_total(hist: Histogram) -> int:
    """Total "weiß nicht" answers recorded in a dont_know_item histogram."""
    return sum(int(b) * c for b, c in hist.items())


def statement_distribution(hist: Histogram) -> dict[str, int]:
    """Counts per answer value (incl. "na", "dk", "open") in display order."""
    return {b: int(hist.get(b, 0)) for b in STATEMENT_BINS}
