"""The anonymity rules and the gate every shown group figure passes (releases are planned in `release_plan`).

The attacker (docs/privacy.md) knows up to k − 1 contributions to any figure – their own, their
colluders', sock puppets made with the join code – and keeps every figure they ever saw. So:

1. Gate: a figure of an item is shown only when it rests on at least `gate(k)` = 2k − 1 ratings
   (1–4; "nicht zutreffend", "weiß nicht" and open answers do not count, they are cells of the
   item and shown only with it). Whoever subtracts k − 1 known contributions is left with at
   least k unknown ones, and a member's own rating always leaves at least k others.
2. Frozen releases: a group's picture of a round is released once and never replaced; a round
   whose picture was withdrawn after a deletion stays without one. No two pictures of one round
   exist, so no difference of them exists.
3. Rounds: who is in a release is known (participation, release log), who changed an answer is
   not. Against an earlier release (or the union of an earlier round's releases) with exactly the
   same projects, a difference only says that some of at least k unknown projects changed – it is
   shown. Against one whose projects differ (joined, left, deleted), an item of the new picture is
   shown only when every histogram cell its difference touches is touched by 0 or at least
   gate(k) projects, so a known leaver's or joiner's bin never stands alone in a difference; a
   comparison with a deleted member withholds every item (its old bins are gone). Projects of
   the previous release without a new analysis are carried with their released state, so the
   projects stay the same; only fresh analyses count towards the gate of a release.
   (`release_plan.plan_release` applies rules 1–3 to a release.)
4. Scopes: region and instance figures are sums of whole gated release parts (withheld items
   never enter them), so every difference of two scopes is a sum of gated parts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mintqo.domain.histograms import (
    NONE,
    AxisStat,
    Histogram,
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
RATINGS = ("1", "2", "3", "4")

FEW = "few"  # an item rests on fewer than gate(k) ratings
CHANGE = "change"  # an item changed for fewer than gate(k) projects against an earlier round


def gate(k: int) -> int:
    """The fewest ratings a shown figure rests on: k remain after subtracting k − 1 known ones."""
    return 2 * k - 1


def too_few(n: int, k: int) -> str:
    """The message shown instead of a whole picture below the gate (n: submitted analyses)."""
    return f"noch zu wenige Analysen für einen anonymen Vergleich ({n} von mindestens {gate(k)})"


def check_k(k: int) -> int:
    """A valid threshold (at least MIN_K), else ValueError with a German message."""
    if not isinstance(k, int) or isinstance(k, bool) or k < MIN_K:
        raise ValueError(f"Die Anonymitätsschwelle muss mindestens {MIN_K} sein.")
    return k


def rated(item: str, hist: Histogram) -> int:
    """How many analyses an item's figure rests on: 1–4 ratings, scores, or every analysis."""
    if item.startswith("s:"):
        return sum(int(hist.get(b, 0)) for b in RATINGS)
    if item.startswith(("u:", "c:")):
        return sum(int(c) for b, c in hist.items() if b != NONE)
    return sum(int(c) for c in hist.values())


def scope_visible(scope_members: int, own_group_members: int | None, k: int) -> bool:
    """Whether a region or instance figure may be shown next to the viewer's group figure."""
    if scope_members < gate(k):
        return False
    if own_group_members is None:
        return True
    extra = scope_members - own_group_members
    return extra == 0 or extra >= gate(k)


@dataclass(frozen=True)
class Withheld:
    """A figure not drawn: too few ratings (FEW) or too few changes against an earlier round."""

    n: int
    k: int
    reason: str = FEW

    @property
    def message(self) -> str:
        """German text shown instead of the figure (never the small count itself)."""
        if self.reason == CHANGE:
            return "zurückgehalten: gegenüber einer früheren Runde zu wenige Änderungen, um anonym zu sein"
        return f"zu wenige Bewertungen für einen anonymen Vergleich (mindestens {gate(self.k)} nötig)"


@dataclass(frozen=True)
class StatementView:
    """Distribution of one statement's answers in the group, or withheld."""

    statement_id: str
    counts: Mapping[str, int] | None
    withheld: Withheld | None


@dataclass(frozen=True)
class GroupPicture:
    """What a role may see of one released figure: every item either shown or withheld."""

    label: str
    n_members: int
    k: int
    axes: Mapping[str, AxisStat | Withheld]
    dont_know: Mapping[str, int]
    measures: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    withheld: Mapping[str, str] = field(default_factory=dict)

    def axis(self, item: str) -> AxisStat | Withheld:
        """One axis (sub_item / criterion_item key)."""
        return self.axes[item]

    @property
    def drawable(self) -> bool:
        """Whether at least one axis may be drawn."""
        return any(isinstance(a, AxisStat) for a in self.axes.values())

    @property
    def n_withheld(self) -> int:
        """How many axes are withheld (for the sentence that says so)."""
        return sum(isinstance(a, Withheld) for a in self.axes.values())

    def statements(self, questionnaire: Questionnaire, sub_id: str, hists: Histograms) -> list[StatementView]:
        """Per-statement distributions of one sub-criterion, each gated by rule 1 on its ratings."""
        out = []
        for st in questionnaire.subcriterion(sub_id).statements:
            item = statement_item(st.id)
            hist = hists.get(item, {})
            reason = self.withheld.get(item)
            if reason is None and (self.n_members < gate(self.k) or rated(item, hist) < gate(self.k)):
                reason = FEW
            if reason is None:
                out.append(StatementView(st.id, statement_distribution(hist), None))
            else:
                out.append(StatementView(st.id, None, Withheld(0, self.k, reason)))
        return out


def _totals(hists: Histograms, items: Mapping[str, str], withheld: Mapping[str, str]) -> dict[str, int]:
    """Totals of count items (key → item) that are shown."""
    return {
        key: dont_know_total(hists[item])
        for key, item in items.items()
        if item in hists and item not in withheld
    }


def picture(
    questionnaire: Questionnaire,
    label: str,
    hists: Histograms,
    n_members: int,
    k: int,
    withheld: Mapping[str, str] | None = None,
) -> GroupPicture:
    """Apply rule 1 to every item of a released figure; the only way pages get group numbers."""
    k = check_k(k)
    g = gate(k)
    held = dict(withheld or {})
    axes: dict[str, AxisStat | Withheld] = {}
    items = [sub_item(s.id) for s in questionnaire.subcriteria]
    items += [criterion_item(c.id) for c in questionnaire.criteria]
    for item in items:
        hist = hists.get(item, {})
        if n_members < g or item in held or rated(item, hist) < g:
            axes[item] = Withheld(0, k, held.get(item, FEW))
        else:
            axes[item] = axis_stat(item, hist)
    dont_know: dict[str, int] = {}
    measures: dict[str, dict[str, int]] = {}
    if n_members >= g:
        subs = questionnaire.subcriteria
        dont_know = _totals(hists, {s.id: dont_know_item(s.id) for s in subs}, held)
        for s in subs:
            counts = _totals(hists, {st: measure_item(s.id, st) for st in MEASURE_STATUSES}, held)
            if counts:
                measures[s.id] = counts  # a status that is withheld is missing, never 0
    return GroupPicture(label, n_members, k, axes, dont_know, measures, held)


def median_shift(before: GroupPicture, after: GroupPicture, item: str) -> float | Withheld:
    """Change of a released median between two rounds; withheld unless both passed the rules."""
    a, b = before.axes.get(item), after.axes.get(item)
    if isinstance(a, AxisStat) and isinstance(b, AxisStat) and a.median is not None and b.median is not None:
        return round(b.median - a.median, 2)
    reason = next((x.reason for x in (a, b) if isinstance(x, Withheld)), FEW)
    return Withheld(0, max(before.k, after.k), reason)
