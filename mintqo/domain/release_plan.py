"""Release planning (rule 3 of `anonymity`): what a round's group picture may show against earlier rounds."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from mintqo.domain.anonymity import CHANGE, FEW, gate, rated
from mintqo.domain.histograms import histograms_of

# Per project: the bin it adds to every item (None: its data was deleted since).
Contributions = Mapping[int, Mapping[str, str] | None]


def membership_changes(current: Contributions, earlier: Contributions) -> int:
    """How many projects are in one release and not the other, or deleted since (identifiable)."""
    both = current.keys() & earlier.keys()
    gone = sum(1 for p in both if current[p] is None or earlier[p] is None)
    return len(current.keys() ^ earlier.keys()) + gone


def exposed_items(current: Contributions, earlier: Contributions, g: int) -> set[str]:
    """Items whose difference between two releases could single out a contribution.

    Per item and histogram cell, count the differing projects that touch the cell (a leaver with
    its old bin, a joiner with its new one, a changed project with both). A cell touched by 1 to
    g − 1 of them is exposed: what left or came there has too little company, e.g. a leaver's
    rating next to others' switches between "nicht zutreffend" and "weiß nicht". A deleted
    member's old bins are gone, so nothing in such a comparison can be vouched for: all items.
    """
    items = {i for c in (*current.values(), *earlier.values()) if c is not None for i in c}
    if any(c is None for c in (*current.values(), *earlier.values())):
        return items
    touched: dict[tuple[str, str], int] = {}
    for project in current.keys() | earlier.keys():
        a, b = current.get(project), earlier.get(project)
        for item in items:
            new = a.get(item) if a is not None else None
            old = b.get(item) if b is not None else None
            if new != old:
                for cell in {new, old} - {None}:
                    touched[(item, str(cell))] = touched.get((item, str(cell)), 0) + 1
    return {item for (item, _), t in touched.items() if 0 < t < g}


@dataclass(frozen=True)
class ReleasePlan:
    """Whether a round's picture may be released, what it shows and which items it withholds."""

    allowed: bool
    n: int
    reason: str
    hists: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    withheld: Mapping[str, str] = field(default_factory=dict)
    # Whether other projects are in it than in an earlier round's release: participation, which the
    # facilitator sees anyway. Before a release, pages show this, never `withheld` (live data).
    membership_differs: bool = False
    carried: int = 0  # projects counted with their previous round's released state
    left_out: int = 0  # submitted analyses of projects that were not in the previous release


def plan_release(
    current: Mapping[int, Mapping[str, str]],
    earlier: Iterable[Contributions],
    k: int,
    *,
    round_released: bool = False,
    round_withdrawn: bool = False,
    carried: Collection[int] = (),
    sums: Iterable[tuple[Contributions, Contributions]] = (),
) -> ReleasePlan:
    """Rules 1–3 for releasing `current` (project → contribution) against earlier releases.

    `earlier` holds every release of other rounds that shares a project with `current`. `carried`
    are projects without a new analysis in this round, in `current` with what the previous
    round's release showed of them: they keep the membership the same, but only fresh analyses
    count towards the gate, so a difference always spreads over at least k unknown ones. `sums`
    are further pairs (this round's releases plus `current`, an earlier round's releases) that
    adding up several groups' pictures lets anyone compare; they follow the same rule.
    """
    n = len(current)
    fresh = n - len(set(carried) & current.keys())
    g = gate(k)
    if round_withdrawn:
        return ReleasePlan(
            False,
            n,
            "Das Gruppenbild dieser Runde wurde nach einer Löschung zurückgezogen. Es kann nicht neu "
            "freigegeben werden – der Unterschied zum alten Bild würde die gelöschten Antworten zeigen.",
        )
    if round_released:
        return ReleasePlan(
            False,
            n,
            "Das Gruppenbild dieser Runde ist bereits freigegeben. Eine Freigabe ist endgültig – "
            "zwei Bilder derselben Runde ließen sich voneinander abziehen.",
        )
    if fresh < g:
        return ReleasePlan(
            False,
            n,
            f"Es sind erst {fresh} von mindestens {g} Selbstanalysen dieser Runde abgeschlossen "
            f"(Anonymitätsschwelle k = {k}: auch wer {k - 1} Antworten kennt, soll mindestens {k} "
            "unbekannte vor sich haben).",
            carried=n - fresh,
        )
    hists = histograms_of(current.values())
    withheld = {item: FEW for item, hist in hists.items() if rated(item, hist) < g}
    differs = deleted = False
    for new, old in [*((current, release) for release in earlier), *sums]:
        if membership_changes(new, old) == 0:
            continue  # the same projects: who changed what stays unknown
        differs = True
        deleted = deleted or any(c is None for c in old.values())
        for item in exposed_items(new, old, g) & hists.keys():
            withheld.setdefault(item, CHANGE)
    shown = {item: dict(h) for item, h in hists.items() if item not in withheld}
    if not shown:
        reason = "Kein Wert erreicht die Anonymitätsschwelle."
        if deleted:
            reason = (
                "Eine Initiative hat Daten gelöscht, die in einem früheren Gruppenbild dieser Gruppe "
                "waren. Jedes neue Bild ließe sich mit dem alten vergleichen und zeigte die gelöschten "
                "Antworten – deshalb gibt es für diese Runde kein Gruppenbild."
            )
        return ReleasePlan(False, n, reason, {}, withheld, differs, n - fresh)
    return ReleasePlan(True, n, "", shown, withheld, differs, n - fresh)
