"""The anonymity rules, in one place: every group figure a page or export shows passes here.

Rule 1: no figure rests on fewer than k analyses (per axis: k analyses with a score).
Rule 2: no two figures one role can see differ by fewer than k analyses.

Rule 2 holds by construction: group figures change only through releases that differ from
every earlier release of the group by 0 or at least k analyses (`release_decision`), and
region and instance figures are sums of the latest release of every group in them. Groups
never share an analysis, so any two such figures differ by whole releases' differences.
`scope_visible` re-checks the nesting against the viewer's own group as a second line.

Members of a release are projects, identified with a fingerprint of what they contribute: a
later round's analysis is a new database row, but an unchanged one counts as unchanged, and
every release is checked against every earlier release of the group, in all rounds.

A group's k is a promise to that group's analyses: restricted to any one group, two figures
anyone can see differ by 0 or at least that group's k, and never by fewer than MIN_K overall.
When groups of one region chose different k, a region figure may move by a smaller group's
k (≥ MIN_K) between two views; those analyses are protected by their own group's k.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mintqo.domain.benchmark import (
    AxisStat,
    Histograms,
    axis_stat,
    criterion_item,
    dont_know_item,
    dont_know_total,
    measure_item,
    statement_distribution,
    statement_item,
    sub_item,
)
from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.questionnaire import Questionnaire

MIN_K = 3
DEFAULT_K = 3

# An analysis in a release is identified with the version it was released in (its
# submission time), so a reopened and resubmitted analysis counts as changed.
Members = Mapping[int, str]


def too_few(n: int, k: int) -> str:
    """The message shown instead of a figure below the threshold."""
    return f"noch zu wenige Analysen für einen Vergleich ({n} von {k})"


def check_k(k: int) -> int:
    """A valid threshold (at least MIN_K), else ValueError with a German message."""
    if not isinstance(k, int) or isinstance(k, bool) or k < MIN_K:
        raise ValueError(f"Die Anonymitätsschwelle muss mindestens {MIN_K} sein.")
    return k


def difference(a: Members, b: Members) -> int:
    """Number of analyses whose contribution differs between two member sets."""
    return sum(1 for i in a.keys() | b.keys() if a.get(i) != b.get(i))


@dataclass(frozen=True)
class ReleaseDecision:
    """Whether the current submissions may be released as a new group picture, and why not."""

    allowed: bool
    n: int
    changed: int | None
    reason: str


def release_decision(
    current: Members, earlier: Iterable[Members], k: int, latest: Members | None = None
) -> ReleaseDecision:
    """Rules 1 and 2 for a new release against every earlier release of the same group.

    `latest` is the release the new one would replace (default: the last of `earlier`); it
    only decides whether anything changed at all.
    """
    n = len(current)
    earlier = list(earlier)
    if latest is None and earlier:
        latest = earlier[-1]
    changed = difference(current, latest) if latest is not None else None
    if n < k:
        return ReleaseDecision(
            False, n, changed, f"Es sind erst {n} von mindestens {k} Selbstanalysen abgeschlossen."
        )
    if changed == 0:
        return ReleaseDecision(False, n, 0, "Seit der letzten Freigabe hat sich nichts geändert.")
    for release in earlier:
        d = difference(current, release)
        if 0 < d < k:
            return ReleaseDecision(False, n, changed, _too_close(d, k))
    return ReleaseDecision(True, n, changed, "")


def _too_close(d: int, k: int, *, answers_only: bool = False) -> str:
    """Why a release is refused: it differs from an earlier one by d (0 < d < k) analyses."""
    some = "einer Selbstanalyse" if d == 1 else f"{d} Selbstanalysen"
    if answers_only:
        differ = f"unterscheiden sich die Antworten erst bei {some} (neu, geändert oder gelöscht; "
        differ += "Maßnahmen zählen hier nicht)"
    else:
        differ = "unterscheidet sich erst eine Selbstanalyse" if d == 1 else f"unterscheiden sich erst {some}"
        differ += " (neu, geändert oder gelöscht)"
    return (
        f"Gegenüber einer früheren Freigabe {differ}. Eine neue Freigabe ist möglich, sobald es "
        f"mindestens {k} sind – sonst ließe sich eine einzelne Initiative herausrechnen."
    )


def answers_refusal(current: Members, earlier: Iterable[Members], k: int) -> str | None:
    """Rule 2 once more on the answers alone (fingerprints without measure counts), or the reason.

    A member whose measures changed counts as changed in `release_decision`, but its answer
    histograms did not move: without this check, one deleted or changed analysis plus a few
    new measures elsewhere would stand alone in the difference of the answer histograms.
    """
    for release in earlier:
        d = difference(current, release)
        if 0 < d < k:
            return _too_close(d, k, answers_only=True)
    return None


def scope_visible(scope_members: int, own_group_members: int | None, k: int) -> bool:
    """Whether a region or instance figure may be shown next to the viewer's group figure."""
    if scope_members < k:
        return False
    if own_group_members is None:
        return True
    extra = scope_members - own_group_members
    return extra == 0 or extra >= k


@dataclass(frozen=True)
class Withheld:
    """A figure not drawn because it rests on too few analyses."""

    n: int
    k: int

    @property
    def message(self) -> str:
        """German text shown instead of the figure."""
        return too_few(self.n, self.k)


@dataclass(frozen=True)
class StatementView:
    """Distribution of one statement's answers in the group, or withheld."""

    statement_id: str
    counts: Mapping[str, int] | None
    withheld: Withheld | None


@dataclass(frozen=True)
class GroupPicture:
    """What a role may see of one released figure: every axis either shown or withheld."""

    label: str
    n_members: int
    k: int
    axes: Mapping[str, AxisStat | Withheld]
    dont_know: Mapping[str, int]
    measures: Mapping[str, Mapping[str, int]] = field(default_factory=dict)

    def axis(self, item: str) -> AxisStat | Withheld:
        """One axis (sub_item / criterion_item key)."""
        return self.axes[item]

    @property
    def drawable(self) -> bool:
        """Whether at least one axis may be drawn."""
        return any(isinstance(a, AxisStat) for a in self.axes.values())

    def statements(self, questionnaire: Questionnaire, sub_id: str, hists: Histograms) -> list[StatementView]:
        """Per-statement distributions of one sub-criterion, each gated by rule 1."""
        out = []
        for st in questionnaire.subcriterion(sub_id).statements:
            counts = statement_distribution(hists.get(statement_item(st.id), {}))
            answered = sum(c for b, c in counts.items() if b != "open")
            if answered >= self.k and self.n_members >= self.k:
                out.append(StatementView(st.id, counts, None))
            else:
                out.append(StatementView(st.id, None, Withheld(answered, self.k)))
        return out


def picture(
    questionnaire: Questionnaire, label: str, hists: Histograms, n_members: int, k: int
) -> GroupPicture:
    """Apply rule 1 to every axis of a released figure; the only way pages get group numbers."""
    k = check_k(k)
    axes: dict[str, AxisStat | Withheld] = {}
    items = [sub_item(s.id) for s in questionnaire.subcriteria]
    items += [criterion_item(c.id) for c in questionnaire.criteria]
    for item in items:
        stat = axis_stat(item, hists.get(item, {}))
        enough = n_members >= k and stat.n >= k
        axes[item] = stat if enough else Withheld(stat.n if n_members >= k else n_members, k)
    dont_know: dict[str, int] = {}
    measures: dict[str, dict[str, int]] = {}
    if n_members >= k:
        measures = {
            s.id: {st: dont_know_total(hists.get(measure_item(s.id, st), {})) for st in MEASURE_STATUSES}
            for s in questionnaire.subcriteria
            if any(measure_item(s.id, st) in hists for st in MEASURE_STATUSES)
        }
        dont_know = {
            s.id: dont_know_total(hists.get(dont_know_item(s.id), {})) for s in questionnaire.subcriteria
        }
    return GroupPicture(label, n_members, k, axes, dont_know, measures)


def median_shift(before: GroupPicture, after: GroupPicture, item: str) -> float | Withheld:
    """Change of a released median between two rounds; withheld unless both passed rule 1."""
    a, b = before.axes.get(item), after.axes.get(item)
    if isinstance(a, AxisStat) and isinstance(b, AxisStat) and a.median is not None and b.median is not None:
        return round(b.median - a.median, 2)
    n = min(x.n for x in (a, b) if x is not None) if a is not None and b is not None else 0
    return Withheld(n, max(before.k, after.k))
