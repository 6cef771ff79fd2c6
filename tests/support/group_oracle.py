"""What a group picture should show, computed in the tests independently of mintqo's own gate."""

from __future__ import annotations

from collections.abc import Mapping

Hists = dict[str, dict[str, int]]


def plain(hists: Mapping[str, Mapping[str, int]]) -> Hists:
    """Histograms as plain dicts without zero bins and empty items (what the database stores)."""
    out = {item: {b: c for b, c in hist.items() if c} for item, hist in hists.items()}
    return {item: hist for item, hist in out.items() if hist}


def ratings(item: str, hist: Mapping[str, int]) -> int:
    """How many ratings an item's histogram rests on: scored answers, counted uses, or all bins."""
    if item.startswith("s:"):
        return sum(c for b, c in hist.items() if b in ("1", "2", "3", "4"))
    if item.startswith(("u:", "c:")):
        return sum(c for b, c in hist.items() if b != "none")
    return sum(hist.values())


def gated(hists: Mapping[str, Mapping[str, int]], k: int = 3) -> Hists:
    """What a release with threshold k shows: the items resting on at least 2k − 1 ratings."""
    return {item: hist for item, hist in plain(hists).items() if ratings(item, hist) >= 2 * k - 1}
