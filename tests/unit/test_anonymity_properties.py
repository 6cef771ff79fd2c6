"""The anonymity rules, proved from the attacker's side on everything anyone can ever see.

The attacker (docs/privacy.md) knows the contributions of a set K of projects, |K| ≤ k − 1: their
own, their colluders', and sock puppets the facilitator made with the join code (puppets are just
projects in K that the attacker submits and changes at will). They watch every figure over time –
every release of every round, every region and instance sum after every event, every part of every
national package ever exported – and may add and subtract any of them.

A small pure model of the services drives the REAL rules (`release_plan.plan_release`, `gate`, `rated`,
`benchmark.contribution`, `histograms_of`):

* releases (`services.releases`, `services.release_inputs`): one per group and round.
  `candidate`: after the group's first release, a later round holds the projects of the group's
  newest earlier release – fresh analyses where there are some, the others carried with their
  released state, projects not in it left out. `earlier_releases`: every release of another round
  of the group or holding one of its projects (withdrawn ones included, deleted members as None)
  and, per round, the union of those. `round_sums`: the releases connected to the candidate through
  shared projects, per round as one union – this round's plus the candidate against each earlier
  round's (what adding up the groups of a round compares). `_plan`: `plan_release` with the carried
  projects and the sums;
* scopes (`services.scopes`): region and instance figures per round are sums of the shown items of
  the live releases of their groups; `picture` gates the sum once more;
* deletion (`services.deletion`): every live release holding the deleted analyses (a carried member
  holds its old analysis) is withdrawn and their release-member data becomes None; a deleted
  project's id is negated in `release_member`;
* editions: a new edition's groups take the projects' next round (`moves`), the old groups get no
  fresh analysis of it;
* packages (`domain.package`): region parts (n ≥ gate(MIN_K), s/u/c items with ≥ gate(MIN_K) ratings,
  d/m totals only when whole) exported at any time.

A figure is, per shown item, the set of cells (project, bin) of the contributions behind it (a
project has one analysis per round and a figure is of one round, so the project identifies the cell;
comparing a round-1 and a round-2 figure compares each project with itself). Besides every figure
anyone saw, the attacker forms sums: the group figures of one round of any two or three groups
(region and instance sums are such sums, and an attacker with colluders in several groups adds
their figures himself). The property, for every figure F, every pair F1, F2 and every item shown in
it / in both, with k the smallest k of the groups involved:

    single: the rating cells of F rest on 0 or ≥ gate(k) projects (rule 1);
    cells:  for every histogram cell (bin) b, the unknown projects touching b in F1 − F2 – a
            project only in F1 or only in F2 with bin b, or one whose bin changed from or to b –
            are none or at least k.

The worst K removes k − 1 of the projects touching b, so "cells" holds for every K iff the number
T_b of projects touching b is 0 or T_b − (k − 1) ≥ k, that is T_b == 0 or T_b ≥ gate(k).

Two reductions keep the checker from flagging what reveals nothing:

* whole parts: a group figure G (a release, itself gated) of F1's round whose cells all lie in F1
  and none of whose projects is in F2 is subtracted from F1 first (and likewise for F2): region r1
  minus group A r2 is group B r1 (known, gated) plus group A r1 − group A r2;
* same projects: who is in a figure is known (participation, release log), who changed an answer
  is not (anonymity.py, rule 3). If what remains has exactly the same projects on both sides and at
  least gate(k) of them may have changed (not carried, i.e. known unchanged), the difference is an
  anonymous change among ≥ k unknown continuing projects: it determines no single project's value,
  and everything each single figure shows is already gated (`changers_known=True` drops this for
  the stricter attacker who learns who changed).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict

from mintqo.domain import anonymity, release_plan
from mintqo.domain.anonymity import CHANGE, FEW, MIN_K, gate, rated
from mintqo.domain.histograms import NONE, OPEN, contribution, histograms_of
from mintqo.domain.measures import STATUSES
from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.domain.release_plan import ReleasePlan, plan_release

SMALL = parse_questionnaire(small_dict())
STATEMENTS = [s.id for s in SMALL.statements()]
SUBS = [s.id for s in SMALL.subcriteria]
PACKAGE_GATE = gate(MIN_K)  # domain.package.GATE

_PROPS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_SEARCH = settings(
    max_examples=400,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Answers = tuple[tuple[str, str], ...]  # sorted (statement, value); OPEN: left unanswered
Counts = tuple[tuple[tuple[str, str], int], ...]  # sorted ((sub-criterion, status), measures)
Contrib = Mapping[str, str]
Cells = frozenset[tuple[int, str]]


def answers(default: str = "3", **_: str) -> Answers:
    """Every statement answered with `default`."""
    return tuple((s, default) for s in STATEMENTS)


def with_answer(base: Answers, statement: str, value: str) -> Answers:
    """`base` with one statement's answer replaced."""
    return tuple((s, value if s == statement else v) for s, v in base)


@lru_cache(maxsize=1 << 16)
def contrib_of(ans: Answers, counts: Counts = ()) -> dict[str, str]:
    """The real `benchmark.contribution` of an analysis (cached: scenarios repeat answers a lot)."""
    return contribution(SMALL, {s: v for s, v in ans if v != OPEN}, dict(counts))


def carries(item: str, b: str) -> bool:
    """Whether a cell counts as a rating of the item, as `anonymity.rated` counts them."""
    if item.startswith("s:"):
        return b in anonymity.RATINGS
    if item.startswith(("u:", "c:")):
        return b != NONE
    return True


# --- policies: the real rules and the old ones for the negative controls --------------------------

# (current, earlier releases of other rounds, k, releases of the same group and round, carried) → plan
Policy = Callable[..., ReleasePlan]


def real_policy(current, earlier, k, same_round, carried=(), sums=()) -> ReleasePlan:
    """`services.releases._plan`: the real rules, the round frozen once released or withdrawn."""
    return plan_release(
        current,
        earlier,
        k,
        round_released=any(r.live for r in same_round),
        round_withdrawn=bool(same_round) and all(r.withdrawn for r in same_round),
        carried=carried,
        sums=sums,
    )


def _refused(n: int) -> ReleasePlan:
    return ReleasePlan(False, n, "refused")


def _whole_difference(a: Mapping[int, Contrib | None], b: Mapping[int, Contrib | None]) -> int:
    """Old `difference`: analyses whose whole contribution differs (added, left, changed, deleted)."""
    return sum(1 for p in a.keys() | b.keys() if a.get(p) is None or b.get(p) is None or a[p] != b[p])


def item_changes(current: release_plan.Contributions, earlier: release_plan.Contributions) -> dict[str, int]:
    """The previous rule's count, per item: how many projects differ between two releases
    (changed, added, left, deleted)."""
    items = {i for c in (*current.values(), *earlier.values()) if c is not None for i in c}
    out = dict.fromkeys(items, 0)
    for project in current.keys() | earlier.keys():
        a, b = current.get(project), earlier.get(project)
        for item in items:
            if a is None or b is None or a.get(item) != b.get(item):
                out[item] += 1
    return out


def old_gate_policy(current, earlier, k, same_round, carried=(), sums=()) -> ReleasePlan:
    """(a) The old gate: n ≥ k analyses, and a statement counts "nicht zutreffend"/"weiß nicht"."""
    if same_round:
        return _refused(len(current))
    if len(current) < k:
        return _refused(len(current))
    hists = histograms_of(current.values())

    def counted(item: str, hist: Mapping[str, int]) -> int:
        return sum(c for b, c in hist.items() if b != OPEN) if item.startswith("s:") else rated(item, hist)

    withheld = {item: FEW for item, h in hists.items() if counted(item, h) < k}
    for release in earlier:
        for item, d in item_changes(current, release).items():
            if 0 < d < k:
                withheld.setdefault(item, CHANGE)
    shown = {i: dict(h) for i, h in hists.items() if i not in withheld}
    return ReleasePlan(bool(shown), len(current), "", shown, withheld)


def rerelease_policy(current, earlier, k, same_round, carried=(), sums=()) -> ReleasePlan:
    """(b) Old `release_decision`: a round is released again once ≥ k analyses changed (or were
    deleted) against its latest release, withdrawn or not; otherwise the real rules."""
    if same_round and _whole_difference(current, same_round[-1].members) < k:
        return _refused(len(current))
    return plan_release(current, earlier, k, carried=carried)


def whole_round_policy(current, earlier, k, same_round, carried=(), sums=()) -> ReleasePlan:
    """(c) Rounds checked on whole analyses, not per item: ≥ gate(k) changed analyses show all."""
    if any(0 < _whole_difference(current, e) < gate(k) for e in earlier):
        return _refused(len(current))
    return real_policy(current, [], k, same_round, carried)


def _per_release(exposed: Callable[[Mapping, Mapping, int], Iterable[str]]) -> Policy:
    """The real rules 1–2 with rule 3 replaced: `exposed(current, release, g)` per earlier release."""

    def policy(current, earlier, k, same_round, carried=(), sums=()) -> ReleasePlan:
        base = real_policy(current, [], k, same_round, carried)
        if not base.allowed:
            return base
        withheld = dict(base.withheld)
        for release in earlier:
            if release_plan.membership_changes(current, release):
                for item in set(exposed(current, release, gate(k))) & base.hists.keys():
                    withheld.setdefault(item, CHANGE)
        shown = {i: dict(h) for i, h in base.hists.items() if i not in withheld}
        return ReleasePlan(bool(shown), len(current), "", shown, withheld)

    return policy


# (d) The previous rule 3: per item, the NUMBER of differing projects must be 0 or ≥ gate(k) (a
# deleted member counts as differing on every item), compared release by release, no unions.
item_count_policy = _per_release(
    lambda cur, rel, g: [i for i, d in item_changes(cur, rel).items() if 0 < d < g]
)
# (e) The cell rule, but a deleted member simply left out of the comparison (as if never released).
deleted_ignored_policy = _per_release(
    lambda cur, rel, g: release_plan.exposed_items(cur, {p: c for p, c in rel.items() if c is not None}, g)
)
# The services before "later rounds keep the previous release's projects" and the unions.
PREVIOUS = {"policy": item_count_policy, "carry": False, "unions": False, "sums": False}


# --- the model ------------------------------------------------------------------------------------


@dataclass
class Release:
    group: int
    round: int
    members: dict[int, Contrib | None]  # ReleaseMember.items (None once deleted, key ~p once the
    # project is deleted: its project_id is negated)
    source: dict[int, int]  # project → the round of the analysis it holds (carried: an earlier one)
    shown: dict[str, Cells]  # the shown items' cells
    carried: frozenset[int] = frozenset()
    withdrawn: bool = False
    superseded: bool = False  # only the re-release policy replaces a round's release

    @property
    def live(self) -> bool:
        return not self.withdrawn and not self.superseded


class Figure(NamedTuple):
    """One figure someone saw: its name, the smallest k of the groups in it, item → cells, its
    members (every project of its releases: participation and the release log show them), its
    round, whether it is one group release (a gated part the attacker can subtract from a sum) and
    the projects in it carried with an earlier state (known not to have changed)."""

    name: str
    k: int
    cells: Mapping[str, Cells]
    members: frozenset[int] = frozenset()
    round: int = 0
    part: bool = False
    carried: frozenset[int] = frozenset()


@dataclass
class World:
    group_region: list[int]
    group_k: list[int]
    project_group: list[int]  # a project's group in round 1 (its next round stays there)
    moves: dict[tuple[int, int], int] = field(default_factory=dict)  # (project, round) → new group
    policy: Policy = real_policy
    carry: bool = True  # `_current` keeps the previous release's projects (False: old services)
    unions: bool = True  # `_earlier` adds the per-round unions (False: old services)
    sums: bool = True  # `round_sums`: this round's connected releases vs each earlier round's
    sum_withheld: bool = False  # old scopes: whole releases, withheld items too, enter the sums
    answers: dict[tuple[int, int], Answers] = field(default_factory=dict)
    counts: dict[tuple[int, int], Counts] = field(default_factory=dict)
    submitted: set[tuple[int, int]] = field(default_factory=set)
    deleted: set[int] = field(default_factory=set)
    releases: list[Release] = field(default_factory=list)
    seen: dict[tuple, Figure] = field(default_factory=dict)
    _stamp: tuple = ()

    def group_of(self, p: int, r: int) -> int:
        return self.moves.get((p, r), self.project_group[p])

    def candidate(self, g: int, r: int) -> tuple[dict[int, Contrib], dict[int, int], frozenset[int]]:
        """`release_inputs.candidate`: project → contribution of the group's round, the round of each
        one's analysis, and the carried projects."""
        fresh = {
            p: contrib_of(self.answers[(p, rr)], self.counts.get((p, rr), ()))
            for p, rr in sorted(self.submitted)
            if rr == r and self.group_of(p, r) == g
        }
        current: dict[int, Contrib] = dict(fresh)
        source = dict.fromkeys(fresh, r)
        earlier = [rel for rel in self.releases if rel.group == g and rel.round < r]
        if self.carry and earlier:  # `_previous_members`: the newest release of an earlier round
            previous = max(enumerate(earlier), key=lambda x: (x[1].round, x[0]))[1]
            current = {p: c for p, c in fresh.items() if p in previous.members}
            for p, c in previous.members.items():
                if p not in current and p >= 0 and c is not None:
                    current[p], source[p] = c, previous.source[p]
        return current, source, frozenset(current.keys() - fresh.keys())

    def earlier(self, g: int, r: int, projects: set[int]) -> list[Mapping[int, Contrib | None]]:
        """`release_inputs.earlier_releases`: every release of another round, of the group or
        holding a project, and per round the union of those (a later release's member wins, as in
        the services)."""
        found = [
            rel
            for rel in self.releases
            if rel.round != r and (rel.group == g or projects & rel.members.keys())
        ]
        out: list[Mapping[int, Contrib | None]] = [rel.members for rel in found]
        if self.unions:
            by_round: dict[int, dict[int, Contrib | None]] = {}
            for rel in found:
                by_round.setdefault(rel.round, {}).update(rel.members)
            out += [u for u in by_round.values() if u not in out]
        return out

    def round_sums(
        self, current: Mapping[int, Contrib], r: int
    ) -> list[tuple[Mapping[int, Contrib | None], Mapping[int, Contrib | None]]]:
        """`release_inputs.round_sums`: the releases connected to the candidate through shared
        projects (any group, any round, withdrawn ones too; a fixed point of at most six steps),
        per round the union of their members; (this round's union plus the candidate, an earlier
        round's union) for every other round – nothing when this round has no such release yet."""
        if not self.sums:
            return []
        projects, rels = set(current), set[int]()
        for _ in range(6):
            found = {i for i, rel in enumerate(self.releases) if projects & rel.members.keys()}
            more = {p for i in found for p in self.releases[i].members}
            if found == rels and more <= projects:
                break
            rels, projects = found, projects | more
        by_round: dict[int, dict[int, Contrib | None]] = {}
        for i in sorted(rels):
            by_round.setdefault(self.releases[i].round, {}).update(self.releases[i].members)
        this_round = by_round.pop(r, {})
        if not this_round:
            return []
        new: dict[int, Contrib | None] = {**this_round, **current}
        return [(new, old) for old in by_round.values()]

    # events ---------------------------------------------------------------------------------------

    def apply(self, event: tuple) -> None:
        kind = event[0]
        if kind == "submit":
            _, p, r, ans, counts = event
            if p not in self.deleted:
                self.answers[(p, r)], self.counts[(p, r)] = ans, counts
                self.submitted.add((p, r))
        elif kind == "edit":  # reopen, change one answer, resubmit
            _, p, r, statement, value = event
            if (p, r) in self.submitted:
                self.answers[(p, r)] = with_answer(self.answers[(p, r)], statement, value)
        elif kind == "measure":  # a measure planned or changed: only the m: items move
            _, p, r, sub, status, n = event
            if (p, r) in self.submitted:
                counts = dict(self.counts.get((p, r), ()))
                counts[(sub, status)] = n
                self.counts[(p, r)] = tuple(sorted(counts.items()))
        elif kind == "release":
            self.release(event[1], event[2])
        elif kind == "delete":  # the whole project
            self.delete(event[1], None)
        elif kind == "delete_round":  # one analysis of a project with several rounds
            _, p, r = event
            if (p, 1) in self.submitted and (p, 2) in self.submitted:
                self.delete(p, r)
        elif kind == "export":
            self.export()
        else:  # pragma: no cover
            raise AssertionError(kind)
        self.record()

    def run(self, events: Iterable[tuple]) -> World:
        for e in events:
            self.apply(e)
        return self

    def release(self, g: int, r: int) -> None:
        current, source, carried = self.candidate(g, r)
        same_round = [rel for rel in self.releases if rel.group == g and rel.round == r]
        earlier = self.earlier(g, r, set(current))
        sums = self.round_sums(current, r)
        plan = self.policy(current, earlier, self.group_k[g], same_round, carried, sums)
        if not plan.allowed:
            return
        shown = {item: frozenset((p, c[item]) for p, c in current.items()) for item in plan.hists}
        for item, cells in shown.items():  # the model's cells are the real histograms
            assert histograms_of({item: b} for _, b in cells) == {item: plan.hists[item]}
        for rel in same_round:
            rel.superseded = True
        self.releases.append(Release(g, r, dict(current), source, shown, carried))

    def delete(self, p: int, r: int | None) -> None:
        """`services.deletion.delete_data`: withdraw every live release holding the analyses."""
        if p in self.deleted:
            return
        for rel in self.releases:
            if p in rel.members and (r is None or rel.source[p] == r):
                rel.withdrawn = rel.withdrawn or rel.live
                rel.members[p] = None
                if r is None:  # the project's id is negated in release_member
                    rel.members[~p] = rel.members.pop(p)
                    rel.source[~p] = rel.source.pop(p)
        if r is None:
            self.deleted.add(p)
            self.submitted -= {(p, 1), (p, 2)}
        else:
            self.submitted.discard((p, r))

    # figures --------------------------------------------------------------------------------------

    def _sum(self, groups: Iterable[int], r: int) -> tuple[dict[str, set], int, int] | None:
        rels = [rel for rel in self.releases if rel.live and rel.round == r and rel.group in set(groups)]
        if not rels:
            return None
        cells: dict[str, set] = {}
        for rel in rels:
            if self.sum_withheld:
                parts = {i: frozenset((p, c[i]) for p, c in rel.members.items() if c) for i in _ITEMS}
            else:
                parts = rel.shown
            for item, part in parts.items():
                cells.setdefault(item, set()).update(part)
        self._members = frozenset(p for rel in rels for p in rel.members)
        self._carried = frozenset(p for rel in rels for p in rel.carried)
        n = sum(len(rel.members) for rel in rels)
        return cells, n, min(self.group_k[rel.group] for rel in rels)

    def scope_figures(self) -> list[Figure]:
        """Region and instance sums per round, as `benchmarks._scope_comparison` pictures them."""
        out = []
        scopes = [
            (f"region {x}", [g for g, gx in enumerate(self.group_region) if gx == x])
            for x in sorted({*self.group_region})
        ]
        scopes.append(("instance", list(range(len(self.group_region)))))
        for name, groups in scopes:
            for r in (1, 2):
                found = self._sum(groups, r)
                if found is None:
                    continue
                cells, n, k = found
                shown = {
                    i: frozenset(c)
                    for i, c in cells.items()
                    if (rated(i, _hist(i, c)) if i[0] in "suc" else n) >= gate(k)
                }
                out.append(Figure(f"{name} r{r}", k, shown, self._members, r, False, self._carried))
        return out

    def export(self) -> None:
        """`domain.package.build_parts`: one part per region and round, gated with gate(MIN_K)."""
        for x in sorted(set(self.group_region)):
            for r in (1, 2):
                found = self._sum([g for g, gx in enumerate(self.group_region) if gx == x], r)
                if found is None or found[1] < PACKAGE_GATE:
                    continue
                cells, n, k = found
                part = {
                    i: frozenset(c)
                    for i, c in cells.items()
                    if (rated(i, _hist(i, c)) >= PACKAGE_GATE if i[0] in "suc" else len(c) == n)
                }
                name = f"package part region {x} r{r}"
                self._keep(Figure(name, k, part, self._members, r, False, self._carried))

    def _keep(self, fig: Figure) -> None:
        self.seen.setdefault((fig.name, fig.k, fig.members, frozenset(fig.cells.items())), fig)

    def record(self) -> None:
        """Every figure any role can see now (figures change only with releases and withdrawals)."""
        stamp = tuple((rel.withdrawn, rel.superseded) for rel in self.releases)
        if stamp == self._stamp:
            return
        self._stamp = stamp
        for rel in self.releases:
            if rel.live:
                name = f"group {rel.group} r{rel.round}"
                members = frozenset(p if p >= 0 else ~p for p in rel.members)
                k = self.group_k[rel.group]
                self._keep(Figure(name, k, rel.shown, members, rel.round, True, rel.carried))
        for fig in self.scope_figures():
            self._keep(fig)

    def figures(self, prefix: str = "") -> list[Figure]:
        """Every figure anyone saw, and the attacker's sums of group figures of one round."""
        seen = list(self.seen.values())
        return [f for f in [*seen, *attacker_sums(seen)] if f.name.startswith(prefix)]


def attacker_sums(figures: Iterable[Figure]) -> list[Figure]:
    """Per round, the sums of one kept figure each of two or three groups (an item where all show it)."""
    by_round: dict[int, dict[str, list[Figure]]] = {}
    for fig in figures:
        if fig.part:
            by_round.setdefault(fig.round, {}).setdefault(fig.name, []).append(fig)
    out = []
    for r, groups in sorted(by_round.items()):
        for names in (c for n in range(2, len(groups) + 1) for c in combinations(sorted(groups), n)):
            for figs in product(*(groups[name] for name in names)):
                items = set.intersection(*(set(f.cells) for f in figs))
                out.append(
                    Figure(
                        f"sum {' + '.join(names)}",
                        min(f.k for f in figs),
                        {i: frozenset().union(*(f.cells[i] for f in figs)) for i in items},
                        frozenset().union(*(f.members for f in figs)),
                        r,
                        False,
                        frozenset().union(*(f.carried for f in figs)),
                    )
                )
    return out


_ITEMS = list(contrib_of(answers(), tuple(((s, st_), 0) for s in SUBS for st_ in STATUSES)))


def _hist(item: str, cells: Iterable[tuple[int, str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for _, b in cells:
        out[b] = out.get(b, 0) + 1
    return out


# --- the checker ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    item: str
    view: str  # "single" or "cells"
    d: int
    k: int
    figures: tuple[str, ...]
    cell: str = ""

    def __str__(self) -> str:
        where = f"{self.item} [{self.cell}]" if self.cell else self.item
        return f"{self.view}: {where} isolated by {self.d} < {gate(self.k)} in {' / '.join(self.figures)}"


def _projects(cells: Cells) -> frozenset[int]:
    return frozenset(p for p, _ in cells)


def _without_parts(cells: Cells, r: int, other: Cells, parts: list[tuple[Cells, int]]) -> Cells:
    """`cells` minus every whole group part of its round that lies in it and shares no project with
    `other`: the attacker knows that part (a gated figure), so it reveals nothing in a difference."""
    others = _projects(other)
    for part, pr in parts:
        if pr == r and part <= cells and not _projects(part) & others:
            cells = cells - part
    return cells


def all_violations(figures: Iterable[Figure], *, changers_known: bool = False) -> list[Violation]:
    """Every single figure and every pair of figures, per item shown in it / in both (see the top)."""
    per_item: dict[str, dict[Cells, tuple[int, str, int, frozenset[int]]]] = {}
    parts: dict[str, list[tuple[Cells, int]]] = {}
    for fig in figures:
        for item, cells in fig.cells.items():
            k, name, r, carried = per_item.setdefault(item, {}).get(
                cells, (fig.k, fig.name, fig.round, fig.carried)
            )
            per_item[item][cells] = (min(k, fig.k), name, r, carried | fig.carried)
            if fig.part:
                parts.setdefault(item, []).append((cells, fig.round))
    found: list[Violation] = []
    for item, maps in per_item.items():
        for cells, (k, name, _, _) in maps.items():
            n = sum(1 for _, b in cells if carries(item, b))
            if 0 < n < gate(k):
                found.append(Violation(item, "single", n, k, (name,)))
        item_parts = parts.get(item, [])
        for (a, (ka, na, ra, ca)), (b, (kb, nb, rb, cb)) in combinations(maps.items(), 2):
            k = min(ka, kb)
            a2, b2 = _without_parts(a, ra, b, item_parts), _without_parts(b, rb, a, item_parts)
            if a2 == b2:
                continue
            same = _projects(a2) == _projects(b2)
            if same and not changers_known and len(_projects(a2) - ca - cb) >= gate(k):
                continue  # an anonymous change among ≥ k unknown continuing projects
            touched: dict[str, set[int]] = {}
            for p, cell in a2 ^ b2:
                touched.setdefault(cell, set()).add(p)
            for cell, ps in sorted(touched.items()):
                if 0 < len(ps) < gate(k):
                    found.append(Violation(item, "cells", len(ps), k, (na, nb), cell))
    return found


def violations(
    figures: Iterable[Figure], *, changers_known: bool = False, views: Iterable[str] = ("single", "cells")
) -> list[str]:
    """The violations in the given views (by default both)."""
    found = all_violations(figures, changers_known=changers_known)
    return [str(v) for v in found if v.view in set(views)]


# --- scenarios ------------------------------------------------------------------------------------

_VALUES = [*anonymity.RATINGS] * 5 + ["na", "dk", OPEN]


def _random_answers(rnd: random.Random) -> Answers:
    return tuple((s, rnd.choice(_VALUES)) for s in STATEMENTS)


def _random_counts(rnd: random.Random) -> Counts:
    return tuple(
        sorted({(rnd.choice(SUBS), rnd.choice(STATUSES)): rnd.randint(0, 2) for _ in range(2)}.items())
    )


@st.composite
def scenarios(
    draw,
    *,
    mixed_k: bool | None = None,
    two_rounds: bool | None = None,
    deletions: bool = True,
    round_deletions: bool = True,
    regroup: bool | None = None,
):
    """Groups in one or two regions, k in {3, 4}; bursts of submissions, one-answer edits, measure
    changes, puppets editing right before a release attempt, deletions (of whole projects and of one
    round) and exports. With `regroup`, round 2 is a new edition: every project's round 2 goes to
    one of 1–3 new groups (`moves`), so releases of the new groups meet the old ones' only through
    shared projects and the unions."""
    n_groups = draw(st.integers(1, 3))
    group_region = draw(st.lists(st.integers(0, 1), min_size=n_groups, max_size=n_groups))
    if mixed_k is None:
        mixed_k = draw(st.booleans())
    if mixed_k:
        group_k = draw(st.lists(st.sampled_from([3, 4]), min_size=n_groups, max_size=n_groups))
    else:
        group_k = [draw(st.sampled_from([3, 4]))] * n_groups
    rounds = [1, 2] if (draw(st.booleans()) if two_rounds is None else two_rounds) else [1]
    rnd = draw(st.randoms(use_true_random=True))
    project_group = [g for g, k in enumerate(group_k) for _ in range(rnd.randint(gate(k) - 1, gate(k) + 3))]
    moves: dict[tuple[int, int], int] = {}
    if len(rounds) == 2 and (rnd.random() < 0.35 if regroup is None else regroup):
        n_new = rnd.randint(1, 3)
        group_region += [rnd.randint(0, 1) for _ in range(n_new)]
        group_k += [rnd.choice([3, 4]) if mixed_k else group_k[0] for _ in range(n_new)]
        moves = {(p, 2): n_groups + rnd.randrange(n_new) for p in range(len(project_group))}
        # A few newcomers start in the new edition directly.
        for _ in range(rnd.randint(0, 3)):
            moves[(len(project_group), 2)] = n_groups + rnd.randrange(n_new)
            project_group.append(n_groups + rnd.randrange(n_new))
    members = {
        (g, r): [p for p in range(len(project_group)) if moves.get((p, r), project_group[p]) == g]
        for g in range(len(group_k))
        for r in rounds
    }
    base = {p: _random_answers(rnd) for p in range(len(project_group))}
    events: list[tuple] = []
    started: set[tuple[int, int]] = set()
    for burst in range(rnd.randint(6, 24)):
        r = 1 if len(rounds) == 1 or burst < 4 else rnd.choice(rounds)
        g = rnd.choice([g for g in range(len(group_k)) if members[(g, r)]])
        puppets = members[(g, r)][: group_k[g] - 1]
        for _ in range(rnd.randint(1, 8)):
            p = rnd.choice(members[(g, r)])
            if (p, r) not in started or rnd.random() < 0.1:
                ans = base[p]
                if r == 2:  # pre-filled from round 1, a few answers changed
                    for _ in range(rnd.choice([0, 0, 1, 2])):
                        ans = with_answer(ans, rnd.choice(STATEMENTS), rnd.choice(_VALUES))
                events.append(("submit", p, r, ans, _random_counts(rnd)))
                started.add((p, r))
            elif rnd.random() < 0.7:
                events.append(("edit", p, r, rnd.choice(STATEMENTS), rnd.choice(_VALUES)))
            else:
                events.append(("measure", p, r, rnd.choice(SUBS), rnd.choice(STATUSES), rnd.randint(0, 2)))
        if rnd.random() < 0.3:  # the attacker's puppets change right before the release attempt
            for p in puppets:
                if (p, r) in started:
                    events.append(("edit", p, r, rnd.choice(STATEMENTS), rnd.choice(_VALUES)))
        if rnd.random() < 0.75:
            events.append(("release", g, r))
        if deletions and rnd.random() < 0.12:
            p = rnd.randrange(len(project_group))
            if round_deletions and rnd.random() < 0.4:
                events.append(("delete_round", p, rnd.choice(rounds)))
            else:
                events.append(("delete", p))
        if rnd.random() < 0.25:
            events.append(("export",))
    events.append(("export",))
    return group_region, group_k, project_group, events, moves


def world_of(scenario, **kwargs) -> World:
    group_region, group_k, project_group, events, *rest = scenario
    moves = rest[0] if rest else {}
    return World(list(group_region), list(group_k), list(project_group), dict(moves), **kwargs).run(events)


# --- the main property ----------------------------------------------------------------------------


@_PROPS
@given(scenarios())
def test_no_figure_or_difference_of_two_figures_isolates_a_contribution(scenario):
    world = world_of(scenario)
    assert violations(world.figures()) == []


@settings(_PROPS, max_examples=50)
@given(scenarios(mixed_k=False, two_rounds=False, deletions=False))
def test_one_k_one_round_without_deletions(scenario):
    assert violations(world_of(scenario).figures()) == []


@settings(_PROPS, max_examples=80)
@given(scenarios(mixed_k=True, two_rounds=True, regroup=True))
def test_mixed_k_new_edition_deletions_and_packages(scenario):
    world = world_of(scenario)
    assert violations(world.figures()) == []
    # A deleted project is in no figure shown from its deletion on.
    for rel in world.releases:
        if rel.live:
            assert all(c is not None for c in rel.members.values())
            assert not world.deleted & rel.members.keys()


def test_the_generator_reaches_rich_histories():
    """Guard against a vacuous property: both rounds released, a withdrawal, two groups in one
    region, several package parts, and a round-2 release that differs in projects from an earlier
    one (carried projects alone never do) yet shows something."""

    def rich(scenario) -> bool:
        world = world_of(scenario)
        rounds = {rel.round for rel in world.releases}
        shared = any(
            len({rel.group for rel in world.releases if world.group_region[rel.group] == x}) >= 2
            for x in (0, 1)
        )
        withdrawn = any(rel.withdrawn for rel in world.releases)
        return rounds == {1, 2} and shared and withdrawn and len(world.figures("package")) >= 2

    found = find(scenarios(two_rounds=True), rich, settings=_SEARCH)
    assert rich(found)
    assert violations(world_of(found).figures()) == []

    def differs(scenario) -> bool:
        world = world_of(scenario)
        r2 = [rel for rel in world.releases if rel.round == 2]
        r1 = [rel for rel in world.releases if rel.round == 1]
        return any(
            b.members.keys() & a.members.keys() and b.members.keys() != a.members.keys()
            for a in r1
            for b in r2
        )

    found = find(scenarios(two_rounds=True, regroup=True), differs, settings=_SEARCH)
    assert violations(world_of(found).figures()) == []


# --- the checker itself ---------------------------------------------------------------------------


def _fig(name: str, k: int, members: Iterable[int] | None = None, r: int = 0, part: bool = False, **items):
    cells = {i.replace("_", ":", 1).replace("_", "."): frozenset(c.items()) for i, c in items.items()}
    if members is None:
        members = {p for c in items.values() for p in c}
    return Figure(name, k, cells, frozenset(members), r, part)


def test_checker_counts_ratings_for_a_single_figure_and_projects_per_cell_for_differences():
    five = {p: "3" for p in range(5)}
    assert violations([_fig("F", 3, s_A1_1=five)]) == []
    # 4 ratings and one "nicht zutreffend": the figure rests on 4 < 5 ratings.
    assert violations([_fig("F", 3, s_A1_1={**five, 0: "na"})]) == ["single: s:A1.1 isolated by 4 < 5 in F"]
    assert violations([_fig("F", 4, s_A1_1={**five, 5: "4", 6: "1"})]) == []
    assert violations([_fig("F", 4, s_A1_1={**five, 5: "4"})]) == ["single: s:A1.1 isolated by 6 < 7 in F"]
    # A project added: its cell stands alone.
    added = _fig("G", 3, s_A1_1={**five, 5: "4"})
    assert violations([_fig("F", 3, s_A1_1=five), added]) == ["cells: s:A1.1 [4] isolated by 1 < 5 in F / G"]
    # Five projects move 3 → 4 and a sixth leaves with "1": cell 1 is the leaver's alone.
    moved = _fig("G", 3, s_A1_1={p: "4" for p in range(5)})
    assert violations([_fig("F", 3, s_A1_1={**five, 6: "1"}), moved]) == [
        "cells: s:A1.1 [1] isolated by 1 < 5 in F / G"
    ]
    # ... unless four others touch cell 1 too (they move 1 → 4): every cell has company.
    six = {**five, 6: "1"} | {p: "1" for p in range(7, 11)}
    assert (
        violations([_fig("F", 3, s_A1_1=six), _fig("G", 3, s_A1_1={p: "4" for p in range(11) if p != 6})])
        == []
    )
    # The smallest k of the two figures counts.
    seven = _fig("F", 4, s_A1_1={p: "3" for p in range(7)})
    assert violations([seven, _fig("G", 3, s_A1_1={p: "3" for p in range(12)})]) == []


def test_checker_non_rating_switches_are_no_cover_for_a_rating_cell():
    one = {p: "3" for p in range(5)} | {p: "na" for p in range(5, 9)} | {9: "2"}
    # Project 0 leaves; four others change "nicht zutreffend" → "weiß nicht": five projects differ,
    # but cell 3 is the leaver's alone (and na / dk are touched by four).
    two = {p: "3" for p in range(1, 5)} | {p: "dk" for p in range(5, 9)} | {9: "2"}
    assert violations([_fig("F", 3, s_A1_1=one), _fig("G", 3, s_A1_1=two)]) == [
        "cells: s:A1.1 [3] isolated by 1 < 5 in F / G",
        "cells: s:A1.1 [dk] isolated by 4 < 5 in F / G",
        "cells: s:A1.1 [na] isolated by 4 < 5 in F / G",
    ]


def test_checker_same_members_isolate_nobody_unless_changers_are_known_or_few_may_have_changed():
    five = {p: "3" for p in range(5)}
    one_changed = [_fig("F", 3, s_A1_1=five), _fig("G", 3, s_A1_1={**five, 0: "4"})]
    assert violations(one_changed) == []
    assert violations(one_changed, changers_known=True) == [
        "cells: s:A1.1 [3] isolated by 1 < 5 in F / G",
        "cells: s:A1.1 [4] isolated by 1 < 5 in F / G",
    ]
    # Two of the five carried (known unchanged): only three may have changed.
    f, g = one_changed
    assert violations([f, g._replace(carried=frozenset({3, 4}))]) != []


def test_checker_subtracts_whole_parts_and_sums_what_the_attacker_can():
    a1 = _fig("group 0 r1", 3, r=1, part=True, s_A1_1={p: "3" for p in range(5)})
    b1 = _fig("group 1 r1", 3, r=1, part=True, s_A1_1={p: "4" if p == 5 else "2" for p in range(5, 10)})
    a2 = _fig("group 0 r2", 3, r=2, part=True, s_A1_1={p: "3" for p in range(5)})
    # Region r1 (a1 + b1) minus a2 is b1, a gated figure: nothing new.
    region = _fig(
        "region 0 r1", 3, r=1, s_A1_1={p: "3" for p in range(5)} | {5: "4"} | {p: "2" for p in range(6, 10)}
    )
    assert violations([a1, b1, a2, region]) == []
    # All ten and newcomer 10 merge into one group of round 2: minus the attacker's sum a1 + b1 of
    # round 1 it is the newcomer's bin alone (found without any region sum).
    merged = _fig("group 2 r2", 3, r=2, part=True, s_A1_1=dict(region.cells["s:A1.1"]) | {10: "1"})
    found = violations([a1, b1, merged, *attacker_sums([a1, b1, merged])])
    assert "cells: s:A1.1 [1] isolated by 1 < 5 in group 2 r2 / sum group 0 r1 + group 1 r1" in found
    # Only the newcomer's cell: the ten who moved are covered by the sum.
    assert [v for v in found if "sum" in v] == [
        "cells: s:A1.1 [1] isolated by 1 < 5 in group 2 r2 / sum group 0 r1 + group 1 r1"
    ]


# --- negative controls: the attack classes against the old rules ----------------------------------

R3 = answers("3")
R4 = answers("4")
NO_COUNTS: Counts = ()


def _submit(ps: Iterable[int], r: int = 1, ans: Answers = R3) -> list[tuple]:
    return [("submit", p, r, ans, NO_COUNTS) for p in ps]


def _pair(broken: World, real: World, prefix: str = "") -> None:
    """The broken policy lets the attacker isolate a contribution; the real rules do not."""
    assert violations(broken.figures(prefix)), broken.figures(prefix)
    assert violations(real.figures()) == []


def test_attack_n_equals_k_colluders_subtract_themselves():
    # Two colluders and the victim; the old gate releases at n = k = 3.
    events = [*_submit(range(3)), ("release", 0, 1)]
    scenario = ([0], [3], [0] * 3, events)
    broken, real = world_of(scenario, policy=old_gate_policy), world_of(scenario)
    _pair(broken, real)
    assert real.releases == []


def test_attack_facilitator_with_k_minus_one_sock_puppets():
    # k = 4: three puppets (0–2) and one real project at n = k.
    events = _submit(range(3)) + _submit([3], ans=R4) + [("release", 0, 1)]
    scenario = ([0], [4], [0] * 4, events)
    _pair(world_of(scenario, policy=old_gate_policy), world_of(scenario))
    # At gate(4) = 7 analyses, 3 puppets leave 4 = k unknown: allowed, and nothing isolated.
    events = _submit(range(3)) + _submit(range(3, 7), ans=R4) + [("release", 0, 1)]
    assert violations(world_of(([0], [4], [0] * 7, events)).figures()) == []


def test_attack_na_and_dk_counted_toward_the_gate():
    # Five analyses; statement A1.1 has one rating and four "nicht zutreffend" / "weiß nicht".
    na = with_answer(R3, "A1.1", "na")
    events = _submit(range(2), ans=na) + _submit([2, 3], ans=with_answer(R3, "A1.1", "dk"))
    events += [*_submit([4], ans=with_answer(R3, "A1.1", "4")), ("release", 0, 1)]
    scenario = ([0], [3], [0] * 5, events)
    broken, real = world_of(scenario, policy=old_gate_policy), world_of(scenario)
    _pair(broken, real)
    assert real.releases[0].shown.keys().isdisjoint({"s:A1.1"})


def test_attack_deletion_then_rerelease_with_colluders_edits():
    # 0 victim, 1–2 colluders, 3–4 others; the victim deletes, a newcomer joins, colluders edit.
    events = [*_submit(range(5)), ("release", 0, 1), ("export",), ("delete", 0)]
    events += [*_submit([5]), ("edit", 1, 1, "B2.3", "1"), ("edit", 2, 1, "B2.3", "1")]
    events += [("release", 0, 1), ("export",)]
    scenario = ([0], [3], [0] * 6, events)
    broken, real = world_of(scenario, policy=rerelease_policy), world_of(scenario)
    _pair(broken, real)
    assert [rel.withdrawn for rel in real.releases] == [True]  # never released again
    # Package parts over time: two exports of the region's part differ by 0, 5 and the colluders.
    assert violations(broken.figures("package"))
    assert len(real.figures("package")) == 1


def test_attack_package_part_over_time():
    # Two groups in a region; group 1 takes in newcomer 10, its puppets 5–6 edit, and the old rule
    # re-releases it (3 = k analyses differ): two exports of the region's part differ by 10 alone.
    events = [*_submit(range(10)), ("release", 0, 1), ("release", 1, 1), ("export",)]
    events += _submit([10]) + [("edit", p, 1, "A2.1", "1") for p in (5, 6)]
    events += [("release", 1, 1), ("export",)]
    scenario = ([0, 0], [3, 3], [0] * 5 + [1] * 6, events)
    broken = world_of(scenario, policy=rerelease_policy)
    assert len(broken.figures("package")) == 2
    expected = "cells: s:A1.1 [3] isolated by 1 < 5 in package part region 0 r1 / package part region 0 r1"
    assert expected in violations(broken.figures("package"))
    _pair(broken, world_of(scenario), "package")


def test_attack_per_item_changes_with_puppets():
    # Round 1: projects 0–4 (1–2 puppets). Round 2: newcomer 5 joins; the puppets and 3–4 change
    # B2.3: five analyses differ, so the whole-analysis rule (in the services of before, which took
    # every submitted analysis) shows every item – and round 2 minus round 1 is the newcomer's.
    events = [*_submit(range(5)), ("release", 0, 1), *_submit(range(6), r=2)]
    events += [("edit", p, 2, "B2.3", "1") for p in (1, 2, 3, 4)] + [("release", 0, 2)]
    scenario = ([0], [3], [0] * 6, events)
    broken = world_of(scenario, policy=whole_round_policy, carry=False, unions=False)
    assert "cells: s:A2.1 [3] isolated by 1 < 5 in group 0 r1 / group 0 r2" in violations(broken.figures())
    assert "s:A2.1" in broken.releases[1].shown
    # The real rules keep round 1's projects: the newcomer stays out of the group picture, and a
    # change among the five fresh analyses is shown (who changed is unknown).
    real = world_of(scenario)
    assert violations(real.figures()) == []
    assert real.releases[1].members.keys() == set(range(5)) and real.releases[1].carried == set()
    assert {"s:A2.1", "s:B2.3"} <= real.releases[1].shown.keys()
    # The cell rule alone (the old services' candidate) shows B2.3 only where every touched cell
    # has company: the newcomer's bins stand alone everywhere, so nothing is released.
    cells_only = world_of(scenario, carry=False)
    assert len(cells_only.releases) == 1 and violations(cells_only.figures()) == []


def test_attack_region_minus_own_group_exposes_another_groups_small_item():
    # Group 0 (k = 4, 7 projects) and group 1 (k = 3, 5 projects + newcomer 12 in round 2) share a
    # region, both release round 1. Old services: group 1's round 2 takes the newcomer in and
    # withholds every item only the newcomer changed; old scopes summed whole releases, withheld
    # items too, so the two region sums differ on such an item by the newcomer alone.
    events = [*_submit(range(12)), ("release", 0, 1), ("release", 1, 1)]
    events += _submit(range(13), r=2) + [("edit", p, 2, "B2.3", "1") for p in range(7, 12)]
    events += [("release", 0, 2), ("release", 1, 2)]
    scenario = ([0, 0], [4, 3], [0] * 7 + [1] * 6, events)
    broken = world_of(scenario, sum_withheld=True, carry=False)
    assert "cells: s:A1.1 [3] isolated by 1 < 5 in region 0 r1 / region 0 r2" in violations(broken.figures())
    assert "s:A1.1" not in broken.releases[3].shown
    real = world_of(scenario)
    assert violations(real.figures()) == []
    assert 12 not in real.releases[3].members


@pytest.mark.parametrize(
    ("kwargs", "two_rounds"),
    [
        ({"policy": old_gate_policy}, None),
        ({"policy": rerelease_policy}, None),
        ({"policy": whole_round_policy, "carry": False}, True),
        ({"sum_withheld": True, "carry": False}, True),
        (PREVIOUS, True),
    ],
    ids=["old-gate", "re-release", "whole-round", "sum-withheld", "previous-rule-3"],
)
def test_the_generator_finds_violations_of_each_old_rule(kwargs, two_rounds):
    found = find(
        scenarios(two_rounds=two_rounds),
        lambda s: bool(violations(world_of(s, **kwargs).figures())),
        settings=_SEARCH,
    )
    assert violations(world_of(found, **kwargs).figures())
    assert violations(world_of(found).figures()) == []


# --- the findings of the previous rule 3, now blocked ----------------------------------------------


def test_regrouping_after_an_edition_change_cannot_isolate_a_newcomer():
    # After an edition change a project's next round has no group and may join any group
    # (services.rounds.start_next_round, services.groups.join_group). Round 1: groups 0 = {0–4}
    # and 1 = {5–9} in one region, k = 3, both released. Round 2: all ten and newcomer 10 join the
    # new group 2, nobody changes an answer. Group 2 has no earlier release, so nothing is carried.
    # Against group 0 alone 6 projects differ on every item (5 leavers + the newcomer, all in cell
    # "3"), against group 1 also 6 – but the round-1 region sum (or the attacker's own sum of the
    # two group figures) holds 0–9 with the same cells: minus group 2 it is newcomer 10 alone.
    events = [*_submit(range(10)), ("release", 0, 1), ("release", 1, 1)]
    events += [*_submit(range(11), r=2), ("release", 2, 2)]
    scenario = ([0, 0, 0], [3, 3, 3], [0] * 5 + [1] * 5 + [2], events, {(p, 2): 2 for p in range(11)})
    # The previous rule 3 (item counts, release by release) and the cell rule without the unions
    # both show everything.
    for broken in (world_of(scenario, **PREVIOUS), world_of(scenario, unions=False)):
        assert [(rel.group, rel.round) for rel in broken.releases] == [(0, 1), (1, 1), (2, 2)]
        assert "s:A1.1" in broken.releases[2].shown
        assert "cells: s:A1.1 [3] isolated by 1 < 5 in region 0 r1 / group 2 r2" in violations(
            broken.figures()
        )
    # The real rules compare with the union of round 1: every cell the newcomer touches stands
    # alone, so nothing would be shown and group 2 gets no picture.
    real = world_of(scenario)
    assert [(rel.group, rel.round) for rel in real.releases] == [(0, 1), (1, 1)]
    current, _, carried = real.candidate(2, 2)
    plan = real_policy(current, real.earlier(2, 2, set(current)), 3, [], carried)
    assert not plan.allowed and plan.reason == "Kein Wert erreicht die Anonymitätsschwelle."
    assert set(plan.withheld.values()) == {CHANGE}
    assert violations(real.figures()) == []


def test_non_rating_switches_do_not_cover_a_leavers_rating():
    # Round 1, group 0: 0–4 rate A1.1 "3", 5–8 answer "nicht zutreffend" (5 ratings, shown).
    # Round 2 in a new edition's group 1: project 0 is gone, 5–8 switch to "weiß nicht", 9–12 join
    # with other ratings. Against group 0's release, 9 projects differ on A1.1 – but the rating
    # cell "3" is touched by the known leaver alone: round 2 minus round 1 is its rating.
    na, dk = with_answer(R3, "A1.1", "na"), with_answer(R3, "A1.1", "dk")
    events = _submit(range(5)) + _submit(range(5, 9), ans=na) + [("release", 0, 1)]
    events += _submit(range(1, 5), r=2) + _submit(range(5, 9), r=2, ans=dk)
    events += [*_submit(range(9, 13), r=2, ans=with_answer(R3, "A1.1", "1")), ("release", 1, 2)]
    moves = {(p, 2): 1 for p in range(13)}
    scenario = ([0, 0], [3, 3], [0] * 9 + [1] * 4, events, moves)
    broken = world_of(scenario, **PREVIOUS)
    assert "s:A1.1" in broken.releases[1].shown
    assert "cells: s:A1.1 [3] isolated by 1 < 5 in group 0 r1 / group 1 r2" in violations(broken.figures())
    real = world_of(scenario)
    assert "s:A1.1" not in real.releases[1].shown and "s:A1.2" in real.releases[1].shown
    assert violations(real.figures()) == []
    # Within one group the leaver is carried with its released state: the projects stay the same.
    same_group = world_of(([0], [3], [0] * 9, [*events[:-5], ("release", 0, 2)]))
    assert same_group.releases[1].carried == {0} and "s:A1.1" in same_group.releases[1].shown
    assert violations(same_group.figures()) == []


def test_a_deleted_round_is_no_cover_though_its_next_round_is_the_same():
    # k = 3. Round 1: projects 0–4 released (R1, which the attacker keeps). All start round 2
    # pre-filled, so their round-2 answers equal round 1. Project 4 deletes round 1 only: R1 is
    # withdrawn and its member data for 4 becomes None. Round 2: 0–4 unchanged plus newcomers 5–8
    # (two of them the facilitator's puppets). The previous rule counted 4 (None) + 4 newcomers =
    # 5 ≥ 5 on every item – but project 4's cells are the same in R1 and R2, so R2 − R1 is the four
    # newcomers alone: minus two puppets, two unknown < k.
    events = [*_submit(range(5)), ("release", 0, 1), *_submit(range(5), r=2)]
    events += [("delete_round", 4, 1), *_submit(range(5, 9), r=2), ("release", 0, 2)]
    scenario = ([0], [3], [0] * 9, events)
    broken = world_of(scenario, **PREVIOUS)
    assert [(rel.round, rel.withdrawn) for rel in broken.releases] == [(1, True), (2, False)]
    assert "s:A1.1" in broken.releases[1].shown
    assert "cells: s:A1.1 [3] isolated by 4 < 5 in group 0 r1 / group 0 r2" in violations(broken.figures())
    # Leaving the deleted member out of the comparison fails as well: 4–8 look like five joiners.
    assert violations(world_of(scenario, policy=deleted_ignored_policy, carry=False).figures())
    # The real rules: a deleted member in an earlier release withholds every item.
    real = world_of(scenario)
    assert [(rel.round, rel.withdrawn) for rel in real.releases] == [(1, True)]
    current, _, carried = real.candidate(0, 2)
    assert current.keys() == set(range(5))  # the newcomers stay out, 4's round 2 is fresh
    plan = real_policy(current, real.earlier(0, 2, set(current)), 3, [], carried)
    assert not plan.allowed and "gelöscht" in plan.reason and set(plan.withheld.values()) == {CHANGE}
    assert violations(real.figures()) == []


def test_the_generator_finds_the_deleted_member_hole_of_the_variant_that_ignores_deletions():
    kwargs = {"policy": deleted_ignored_policy, "carry": False}
    found = find(
        scenarios(two_rounds=True),
        lambda s: bool(violations(world_of(s, **kwargs).figures())),
        settings=settings(_SEARCH, max_examples=1000),
    )
    assert any(e[0] in ("delete", "delete_round") for e in found[3])
    assert violations(world_of(found).figures()) == []


def test_same_members_across_rounds_show_a_single_change_as_designed():
    # anonymity.py rule 3: against a release with exactly the same projects, items are shown
    # whatever changed, because who changed is not known. Round 1 and 2 hold projects 0–4; only
    # project 0 changes A1.1: shown. Against the stricter attacker, who may learn who changed
    # (the victim says so, puppets are known not to have changed), the difference of the two
    # figures is project 0's change alone.
    events = [*_submit(range(5)), ("release", 0, 1), *_submit(range(5), r=2)]
    events += [("edit", 0, 2, "A1.1", "1"), ("release", 0, 2)]
    world = world_of(([0], [3], [0] * 5, events))
    assert "s:A1.1" in world.releases[1].shown
    assert violations(world.figures()) == []
    assert "cells: s:A1.1 [1] isolated by 1 < 5 in group 0 r1 / group 0 r2" in violations(
        world.figures(), changers_known=True
    )


def _regrouped_round_two(order: tuple[int, int]) -> tuple:
    """Round 1: groups 0 = A = {0–4} and 1 = B = {5, 6, 8–12} in one region, k = 3, both released;
    project 7 joins B after its release. Project 4 planned a measure in A1 (m:A1:geplant "1", the
    others "0"). Round 2 on a new edition: group 2 = C = {0, 1, 5, 7, 9, 10} and group 3 = D =
    {2, 3, 6, 8, 11, 12}; project 4 left. Newcomer 7 answers A1.1 with "weiß nicht" (d:A1 "1"),
    and C's five continuing projects and 7 plan a measure in B1 (m:B1:geplant 0 → 1)."""
    dk, plan_b1 = with_answer(R3, "A1.1", "dk"), ((("B1", "geplant"), 1),)
    events = [*_submit(range(4)), ("submit", 4, 1, R3, ((("A1", "geplant"), 1),))]
    events += [*_submit([5, 6, *range(8, 13)]), ("release", 0, 1), ("release", 1, 1)]
    events += [("submit", 7, 1, dk, plan_b1)]  # joins B after its release: in no round-1 picture
    events += [("submit", p, 2, R3, plan_b1) for p in (0, 1, 5, 9, 10)] + [("submit", 7, 2, dk, plan_b1)]
    events += [*_submit([2, 3, 6, 8, 11, 12], r=2), *(("release", g, 2) for g in order)]
    moves = {(p, 2): 2 for p in (0, 1, 5, 7, 9, 10)} | {(p, 2): 3 for p in (2, 3, 6, 8, 11, 12)}
    return [0] * 4, [3] * 4, [0] * 5 + [1] * 8, events, moves


@pytest.mark.parametrize("order", [(2, 3), (3, 2)], ids=["C-then-D", "D-then-C"])
def test_round_sums_keep_a_leaver_and_a_joiner_out_of_the_sum_of_a_regrouped_round(order):
    first, second = order
    # Without round_sums: each of C and D passes against A, B and the round-1 union (every cell
    # its difference touches has company: the other group's projects count as leavers), but the
    # sum C + D (region round 2, or the attacker's own sum) minus the round-1 region sum holds the
    # same projects but for leaver 4 and joiner 7 – their cells stand alone.
    broken = world_of(_regrouped_round_two(order), sums=False)
    assert [(rel.group, rel.round) for rel in broken.releases] == [(0, 1), (1, 1), (first, 2), (second, 2)]
    found = violations(broken.figures())
    assert "cells: s:B1.1 [3] isolated by 2 < 5 in region 0 r1 / region 0 r2" in found
    assert "cells: d:B1 [0] isolated by 2 < 5 in region 0 r1 / region 0 r2" in found
    assert "cells: m:B2:geplant [0] isolated by 2 < 5 in region 0 r1 / region 0 r2" in found
    assert all("region 0 r1 / region 0 r2" in v or "instance r1 / instance r2" in v for v in found)
    # Where 4 and 7 differ (m:A1:geplant, d:A1), C or D alone already withholds the item.
    c, d = (next(rel for rel in broken.releases if rel.group == g) for g in (2, 3))
    assert {"d:A1", "m:A1:geplant", "s:A1.1"}.isdisjoint(c.shown) and "m:A1:geplant" not in d.shown
    assert not any(v.startswith(("cells: d:A1 ", "cells: m:A1:geplant ")) for v in found)

    # With round_sums the first of C and D is released as before (no release of round 2 yet); the
    # second compares the sum with the round-1 union and withholds every exposed item: all but
    # m:B1:geplant, where five continuing projects changed next to 4 and 7.
    real = world_of(_regrouped_round_two(order))
    assert violations(real.figures()) == []
    assert [(rel.group, rel.round) for rel in real.releases] == [(0, 1), (1, 1), (first, 2), (second, 2)]
    assert real.releases[2].shown.keys() == broken.releases[2].shown.keys()
    assert real.releases[3].shown.keys() == {"m:B1:geplant"}
    current, _, carried = real.candidate(second, 2)
    assert carried == frozenset() and current.keys() == (
        {0, 1, 5, 7, 9, 10} if second == 2 else {2, 3, 6, 8, 11, 12}
    )
    earlier = real.earlier(second, 2, set(current))
    sums = real.round_sums(current, 2)
    assert len(sums) == 1 and sums[0][0].keys() - sums[0][1].keys() == {7}
    assert sums[0][1].keys() - sums[0][0].keys() == {4}
    alone = real_policy(current, earlier, 3, [], carried)
    plan = real_policy(current, earlier, 3, [], carried, sums)
    assert set(alone.hists) - set(plan.hists) == set(plan.withheld) - set(alone.withheld)
    assert {plan.withheld[i] for i in set(plan.withheld) - set(alone.withheld)} == {CHANGE}
    assert "s:B1.1" in plan.withheld and "d:B1" in plan.withheld and "m:B2:geplant" in plan.withheld
    # Before any round-2 release there is nothing to add up: the first release has no sums.
    region, ks, groups, events, moves = _regrouped_round_two(order)
    before = world_of((region, ks, groups, events[:-2], moves))
    assert before.round_sums(before.candidate(first, 2)[0], 2) == []
