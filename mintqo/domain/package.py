"""The national data package, format 2: its parts, how they are built, and the written document."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from mintqo.domain.anonymity import MIN_K, gate, rated
from mintqo.domain.histograms import dont_know_item, dont_know_total, measure_item, merge
from mintqo.domain.profile import clean_text
from mintqo.domain.workshop import region_key

FORMAT = "mintqo-national-package"
VERSION = 2
GATE = gate(MIN_K)  # the fewest analyses a part, and the fewest ratings a histogram, rests on
HISTOGRAM_ITEMS = ("s:", "u:", "c:")  # statement, sub-criterion and main-criterion histograms

Hists = dict[str, dict[str, int]]
Totals = dict[str, int]
PartKey = tuple[str, int, str]  # (edition, round, region key)


class PackageError(ValueError):
    """A package cannot be written or read: a German message and the problems with their location."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.message = message
        self.problems = list(problems)
        lines = [message, *(f"  – {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Snapshot:
    """What a package is built from: one group's live release of one round (its stored histograms)."""

    edition: str
    round: int
    region: str
    n: int
    released_on: date
    hists: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Part:
    """The figure of one region for one edition and round: gated histograms, totals and their size.

    `histograms` holds statement (s:), sub-criterion (u:) and main-criterion (c:) items, each resting
    on at least GATE ratings; `dont_know` (sub-criterion → "weiß nicht" answers) and `measures`
    (sub-criterion → status → measures) are totals over all n analyses, never per-analysis counts.
    """

    edition: str
    round: int
    region: str
    n_analyses: int
    n_groups: int
    first: date
    last: date
    histograms: Hists
    dont_know: Totals = field(default_factory=dict)
    measures: dict[str, Totals] = field(default_factory=dict)

    @property
    def key(self) -> PartKey:
        """(edition, round, region key): parts of the same key add up."""
        return (self.edition, self.round, region_key(self.region))


@dataclass(frozen=True)
class Package:
    """A complete package: its ids, when it was made, its parts and the checksum over all of it."""

    package_id: str
    source_instance: str
    created_at: datetime
    parts: tuple[Part, ...]
    sha256: str

    @property
    def n_analyses(self) -> int:
        """Analyses behind all parts together."""
        return sum(p.n_analyses for p in self.parts)


# --- building and merging ---------------------------------------------------------------------------


def gated(hists: Iterable[tuple[str, Mapping[str, int]]]) -> Hists:
    """The s:/u:/c: histograms that rest on at least GATE ratings, without zero bins, sorted."""
    out: Hists = {}
    for item, hist in hists:
        kept = {b: int(c) for b, c in sorted(hist.items()) if c}
        if item.startswith(HISTOGRAM_ITEMS) and kept and rated(item, kept) >= GATE:
            out[item] = kept
    return dict(sorted(out.items()))


def _whole(total: Mapping[str, Counter[str]], item: str, n: int) -> int | None:
    """The total of a d:/m: item when it covers all n analyses, else None.

    A release may withhold an item, and releases made before measures were counted have no measure
    items: a total over only some of a part's analyses would pretend to be whole, so it is left out.
    """
    hist = total.get(item)
    if hist is None or sum(hist.values()) != n:
        return None
    return dont_know_total(hist)


def _from_snapshots(snaps: Sequence[Snapshot]) -> Part:
    """The part of snapshots of one key: summed, gated, "weiß nicht" and measures only as totals."""
    n = sum(s.n for s in snaps)
    total = merge(s.hists for s in snaps)
    subs = sorted({item[2:] for item in total if item.startswith("d:")})
    statuses = sorted({tuple(item[2:].rsplit(":", 1)) for item in total if item.startswith("m:")})
    dont_know = {sub: t for sub in subs if (t := _whole(total, dont_know_item(sub), n)) is not None}
    measures: dict[str, Totals] = {}
    for sub, status in statuses:
        t = _whole(total, measure_item(sub, status), n)
        if t is not None:
            measures.setdefault(sub, {})[status] = t
    return Part(
        edition=snaps[0].edition,
        round=snaps[0].round,
        region=min(clean_text(s.region) for s in snaps),  # the smallest spelling: merging is associative
        n_analyses=n,
        n_groups=len(snaps),
        first=min(s.released_on for s in snaps),
        last=max(s.released_on for s in snaps),
        histograms=gated(total.items()),
        dont_know=dont_know,
        measures=measures,
    )


def build_parts(snapshots: Iterable[Snapshot]) -> list[Part]:
    """One part per (edition, round, region) summing the snapshots; parts below GATE are never written."""
    keyed: dict[PartKey, list[Snapshot]] = {}
    for s in snapshots:
        if s.n > 0:
            keyed.setdefault((s.edition, s.round, region_key(s.region)), []).append(s)
    parts = (_from_snapshots(keyed[key]) for key in sorted(keyed))
    return [p for p in parts if p.n_analyses >= GATE]


def scope_histograms(part: Part) -> Hists:
    """The part as histograms to add to the region and instance sums (`scopes.replace_part`).

    A package carries "weiß nicht" and measures only as totals. A total T of a d:/m: item is added as
    the histogram {"1": T}: `benchmark.dont_know_total` (the sum of bin × count), which is all that
    pages read of these items, then gives T, and sums with the releases of local groups stay right.
    A zero total adds nothing.
    """
    out: Hists = {item: dict(hist) for item, hist in part.histograms.items()}
    for sub, total in part.dont_know.items():
        if total:
            out[dont_know_item(sub)] = {"1": total}
    for sub, by_status in part.measures.items():
        for status, total in by_status.items():
            if total:
                out[measure_item(sub, status)] = {"1": total}
    return out


# --- the document -----------------------------------------------------------------------------------


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def part_document(part: Part) -> dict[str, Any]:
    """A part as it is written to the file."""
    return {
        "edition": part.edition,
        "round": part.round,
        "region": part.region,
        "n_analyses": part.n_analyses,
        "n_groups": part.n_groups,
        "period": {"first": part.first.isoformat(), "last": part.last.isoformat()},
        "histograms": part.histograms,
        "dont_know": part.dont_know,
        "measures": part.measures,
    }


def canonical_json(value: Any) -> bytes:
    """The canonical form the checksum is taken over: UTF-8, sorted keys, no insignificant spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def checksum(document: Mapping[str, Any]) -> str:
    """SHA-256 (hex) over the canonical JSON of every field except "sha256" itself."""
    body = {k: v for k, v in document.items() if k != "sha256"}
    return hashlib.sha256(canonical_json(body)).hexdigest()


def make_package(
    parts: Iterable[Part], *, package_id: str, source_instance: str, created_at: datetime
) -> Package:
    """A package of these parts, with its checksum."""
    body = Package(package_id, source_instance, created_at, tuple(sorted(parts, key=lambda p: p.key)), "")
    return Package(
        body.package_id, body.source_instance, body.created_at, body.parts, checksum(document(body))
    )


def document(package: Package) -> dict[str, Any]:
    """The package as the JSON object that is written (the checksum last)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "package_id": package.package_id,
        "source_instance": package.source_instance,
        "created_at": _timestamp(package.created_at),
        "parts": [part_document(p) for p in package.parts],
        "sha256": package.sha256,
    }


def to_bytes(package: Package) -> bytes:
    """The file content: indented, key-sorted JSON in UTF-8 with a final newline."""
    text = json.dumps(document(package), indent=1, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")
