"""The national data package: building, merging, writing and checking it (pure, no I/O).

A package holds one *part* per (questionnaire edition, round, region): the sum of the latest
released picture of every workshop group of that region, with the number of analyses and groups
behind it and the dates of the earliest and latest release in it. Nothing else: no answers,
names, codes, notes or free text, and no per-group rows. Parts rest on releases, so each one
rests on at least MIN_K analyses, and two parts of the same key exported at different times
differ by whole releases (0 or at least MIN_K analyses).

The file is JSON, versioned ("format" and "version") and described by a JSON Schema
(data/schemas/national-package-1.schema.json); "sha256" covers the canonical JSON of every other
field, which detects truncation, damage and naive edits (it is no signature). `parse_package`
rejects a file whole, with every problem and its location, before anything is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Any

from mintqo.domain.anonymity import MIN_K
from mintqo.domain.benchmark import (
    NONE,
    STATEMENT_BINS,
    criterion_item,
    dont_know_item,
    measure_item,
    statement_item,
    sub_item,
)
from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.profile import clean_text
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import region_key

FORMAT = "mintqo-national-package"
VERSION = 1
MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 20
# A package written by a clock that runs ahead would block every later package of its instance.
MAX_CLOCK_SKEW = timedelta(days=1)
SCORE_BINS = frozenset({NONE, *(str(i) for i in range(10, 41))})
_COUNT_BIN = re.compile(r"^(0|[1-9][0-9]{0,6})$")

Hists = dict[str, dict[str, int]]
PartKey = tuple[str, int, str]  # (edition, round, region key)
EditionLookup = Callable[[str], Questionnaire | None]


class PackageError(ValueError):
    """A package cannot be written or read: a German message and the problems with their location."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        self.message = message
        self.problems = list(problems)
        lines = [message, *(f"  – {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Snapshot:
    """What a package is built from: one group's latest live release of one round."""

    edition: str
    round: int
    region: str
    n: int
    released_on: date
    hists: Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Part:
    """The figure of one region for one edition and round: summed histograms and their size."""

    edition: str
    round: int
    region: str
    n_analyses: int
    n_groups: int
    first: date
    last: date
    histograms: Hists

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


def _clean(hists: Iterable[tuple[str, Mapping[str, int]]], n: int) -> Hists:
    """Histograms without zero bins, sorted; measure items that do not cover all n analyses dropped.

    Releases made before measures were counted have no measure items; a sum with such a release
    would count measures for only some of its analyses, which no figure may pretend to be whole.
    """
    out: Hists = {}
    for item, hist in hists:
        kept = {b: int(c) for b, c in sorted(hist.items()) if c}
        if not kept or (item.startswith("m:") and sum(kept.values()) != n):
            continue
        out[item] = kept
    return dict(sorted(out.items()))


def _combine(parts: Sequence[Part]) -> Part:
    """The sum of parts of one key (the display name is the smallest spelling, so merging is associative)."""
    total: dict[str, Counter[str]] = {}
    for part in parts:
        for item, hist in part.histograms.items():
            total.setdefault(item, Counter()).update(hist)
    n = sum(p.n_analyses for p in parts)
    return Part(
        edition=parts[0].edition,
        round=parts[0].round,
        region=min(p.region for p in parts),
        n_analyses=n,
        n_groups=sum(p.n_groups for p in parts),
        first=min(p.first for p in parts),
        last=max(p.last for p in parts),
        histograms=_clean(total.items(), n),
    )


def _by_key(parts: Iterable[Part]) -> list[Part]:
    keyed: dict[PartKey, list[Part]] = {}
    for part in parts:
        keyed.setdefault(part.key, []).append(part)
    return [_combine(keyed[key]) for key in sorted(keyed)]


def build_parts(snapshots: Iterable[Snapshot]) -> list[Part]:
    """One part per (edition, round, region) summing the snapshots; parts below MIN_K are left out."""
    single = [
        Part(
            s.edition,
            s.round,
            clean_text(s.region),
            s.n,
            1,
            s.released_on,
            s.released_on,
            _clean(s.hists.items(), s.n),
        )
        for s in snapshots
        if s.n > 0
    ]
    return [p for p in _by_key(single) if p.n_analyses >= MIN_K]


def merge_parts(*part_lists: Iterable[Part]) -> list[Part]:
    """Parts of several packages (of disjoint groups) summed key by key, as a national instance holds them."""
    return _by_key(p for parts in part_lists for p in parts)


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


# --- reading and checking ---------------------------------------------------------------------------

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def location(path: Iterable[str | int]) -> str:
    """A readable location such as parts[0].histograms["s:A1.1"]; "Datei" for the whole document."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif _IDENT.match(step):
            out += f".{step}" if out else step
        else:
            out += f'["{step}"]'
    return out or "Datei"


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise PackageError(_REJECTED, [f"Datei zu groß ({len(raw):,} Bytes, höchstens {MAX_BYTES:,})"])
    if not raw.strip():
        raise PackageError(_REJECTED, ["Datei ist leer"])
    if b"\x00" in raw:
        raise PackageError(_REJECTED, ["keine Textdatei (enthält Binärdaten)"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageError(_REJECTED, [f"Byte {exc.start}: keine gültige UTF-8-Textdatei"]) from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"Schlüssel „{key[:40]}“ doppelt")
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} ist keine erlaubte Zahl")


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()):
            problem = "die Datei endet mitten im Inhalt – unvollständig übertragen oder abgeschnitten?"
        else:
            problem = f"kein gültiges JSON ({exc.msg})"
        raise PackageError(_REJECTED, [f"Zeile {exc.lineno}, Spalte {exc.colno}: {problem}"]) from None
    except RecursionError:
        raise PackageError(_REJECTED, ["zu tief verschachtelt"]) from None
    except ValueError as exc:  # duplicate keys, NaN/Infinity, integers too long to read
        raise PackageError(_REJECTED, [f"kein gültiges Paket-JSON ({exc})"]) from None


_TYPE_NAMES = {
    "object": "ein Objekt",
    "array": "eine Liste",
    "string": "ein Text",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "boolean": "wahr/falsch",
    "null": "null",
}


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _schema_problems(error: Any) -> Iterator[str]:
    """German text for one jsonschema error (with the location of the offending value)."""
    path = list(error.absolute_path)
    where = location(path)
    kind, expected, value, schema = error.validator, error.validator_value, error.instance, error.schema
    if "propertyNames" in error.absolute_schema_path:  # the instance is the offending key
        yield f"{where}: unzulässiger Schlüssel „{_short(value)}“"
    elif kind == "required":
        for name in expected:
            if isinstance(value, dict) and name not in value:
                yield f"{location([*path, name])}: Pflichtfeld fehlt"
    elif kind == "additionalProperties" and isinstance(value, dict):
        known = set(schema.get("properties", {}))
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        for name in value:
            if name not in known and not any(p.search(name) for p in patterns):
                yield f"{location([*path, name])}: unbekanntes Feld"
    elif kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        yield f"{where}: muss {' oder '.join(_TYPE_NAMES.get(n, n) for n in names)} sein"
    elif kind == "const":
        yield f"{where}: muss {json.dumps(expected, ensure_ascii=False)} sein"
    elif kind == "pattern":
        yield f"{where}: ungültiges Format („{_short(value)}“)"
    elif kind in ("minimum", "maximum"):
        yield f"{where}: muss {'mindestens' if kind == 'minimum' else 'höchstens'} {expected} sein"
    elif kind in ("minLength", "maxLength"):
        limit = "mindestens" if kind == "minLength" else "höchstens"
        yield f"{where}: {limit} {expected} Zeichen"
    elif kind in ("minItems", "maxItems", "minProperties", "maxProperties"):
        if kind == "minProperties" and expected == 1:
            yield f"{where}: darf nicht leer sein"
        else:
            limit = "mindestens" if kind.startswith("min") else "höchstens"
            yield f"{where}: {limit} {expected} Einträge"
    else:
        yield f"{where}: entspricht nicht dem Schema ({kind})"


def schema_problems(doc: Any, schema: Mapping[str, Any]) -> list[str]:
    """Every way the document breaks the JSON Schema, in German, ordered by location."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema)
    errors = sorted(islice(validator.iter_errors(doc), 500), key=lambda e: [str(p) for p in e.absolute_path])
    problems: list[str] = []
    for error in errors:
        problems.extend(p for p in _schema_problems(error) if p not in problems)
    return problems


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count_bin(b: str) -> bool:
    return bool(_COUNT_BIN.match(b))


def _bins(q: Questionnaire) -> dict[str, Callable[[str], bool]]:
    """Every item of an edition with the test for its bins (measure items are optional)."""
    statements = frozenset(STATEMENT_BINS)
    out: dict[str, Callable[[str], bool]] = {}
    for st in q.statements():
        out[statement_item(st.id)] = statements.__contains__
    for sub in q.subcriteria:
        out[sub_item(sub.id)] = SCORE_BINS.__contains__
        dk = frozenset(str(i) for i in range(len(sub.statements) + 1))
        out[dont_know_item(sub.id)] = dk.__contains__
        for status in MEASURE_STATUSES:
            out[measure_item(sub.id, status)] = _count_bin
    for crit in q.criteria:
        out[criterion_item(crit.id)] = SCORE_BINS.__contains__
    return out


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _dont_know_problems(where: str, q: Questionnaire, hists: Mapping[str, Mapping[str, int]]) -> list[str]:
    """The "weiß nicht" counts per sub-criterion must match the "dk" answers of its statements."""
    problems = []
    for sub in q.subcriteria:
        from_statements = sum(hists.get(statement_item(st.id), {}).get("dk", 0) for st in sub.statements)
        from_counts = sum(int(b) * c for b, c in hists.get(dont_know_item(sub.id), {}).items())
        if from_statements != from_counts:
            problems.append(
                f"{where}.histograms: {from_counts} „weiß nicht“ in {dont_know_item(sub.id)}, "
                f"aber {from_statements} in den Aussagen von {sub.id}"
            )
    return problems


def _part_problems(
    i: int, part: Mapping[str, Any], q: Questionnaire | None, expected: Mapping[str, Callable[[str], bool]]
) -> list[str]:
    where = f"parts[{i}]"
    problems: list[str] = []
    region = part["region"]
    if clean_text(region) != region or len(region_key(region)) < 2:
        problems.append(f"{where}.region: ungültige Region „{_short(region)}“")
    n, n_groups = part["n_analyses"], part["n_groups"]
    if not _is_int(n) or not _is_int(n_groups):
        problems.append(f"{where}: n_analyses und n_groups müssen ganze Zahlen sein")
        return problems
    if n_groups * MIN_K > n:
        problems.append(
            f"{where}.n_groups: {n_groups} Gruppen passen nicht zu {n} Analysen "
            f"(jede Gruppe hat mindestens {MIN_K})"
        )
    first, last = _date(part["period"]["first"]), _date(part["period"]["last"])
    if first is None or last is None:
        problems.append(f"{where}.period: kein gültiges Datum")
    elif first > last:
        problems.append(f"{where}.period: „first“ liegt nach „last“")
    if q is None:
        problems.append(
            f"{where}.edition: die Fragebogen-Ausgabe „{part['edition']}“ gibt es in dieser Instanz nicht – "
            "bitte zuerst die Ausgabe-Datei hinzufügen"
        )
        return problems
    hists: Mapping[str, Mapping[str, Any]] = part["histograms"]
    for item, hist in hists.items():
        at = location(["parts", i, "histograms", item])
        accepts = expected.get(item)
        if accepts is None:
            problems.append(f"{at}: gehört nicht zur Ausgabe „{q.edition}“")
            continue
        wrong = [b for b in hist if not accepts(b)]
        if wrong:
            problems.append(f"{at}: ungültiger Wert „{_short(wrong[0])}“ für dieses Merkmal")
        counts = list(hist.values())
        if not all(_is_int(c) and c >= 0 for c in counts):
            problems.append(f"{at}: Anzahlen müssen ganze Zahlen ≥ 0 sein")
        elif sum(counts) != n:
            problems.append(f"{at}: Summe {sum(counts)} statt n_analyses = {n}")
    missing = [item for item in expected if not item.startswith("m:") and item not in hists]
    if missing:
        more = f" und {len(missing) - 3} weitere" if len(missing) > 3 else ""
        problems.append(f"{where}.histograms: es fehlen {', '.join(missing[:3])}{more}")
    if not problems:
        problems += _dont_know_problems(where, q, hists)
    return problems


_REJECTED = "Das Paket ist ungültig und wurde nicht importiert; die Datenbank bleibt unverändert."


def _reject(problems: list[str]) -> PackageError:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… und {len(problems) - MAX_PROBLEMS} weitere Probleme")
    return PackageError(_REJECTED, shown)


def parse_package(
    raw: bytes, schema: Mapping[str, Any], edition_of: EditionLookup, *, now: datetime | None = None
) -> Package:
    """Read and check a package file completely; PackageError with every problem, or the package.

    Checks, in this order: size, text encoding, JSON syntax, format and version, the JSON Schema,
    the checksum, then the content against this instance's questionnaire editions (every item
    belongs to the part's edition, every bin is valid for its item, every histogram sums to the
    part's number of analyses, no part twice).
    """
    doc = _load_json(_decode(raw))
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PackageError(_REJECTED, ["keine mintqo-Paketdatei (Feld „format“ fehlt oder ist falsch)"])
    version = doc.get("version")
    if version != VERSION or not _is_int(version):
        raise PackageError(
            _REJECTED,
            [
                f"version: Paketversion {_short(version)} wird nicht unterstützt "
                f"(diese mintqo-Version liest Version {VERSION})"
            ],
        )
    problems = schema_problems(doc, schema)
    if problems:
        raise _reject(problems)
    if checksum(doc) != doc["sha256"]:
        raise PackageError(
            _REJECTED,
            ["sha256: die Prüfsumme stimmt nicht – die Datei ist beschädigt oder wurde verändert"],
        )
    created_at = datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00"))
    if created_at.tzinfo is None:  # pragma: no cover - the schema requires a zone
        created_at = created_at.replace(tzinfo=UTC)
    if created_at > (now or datetime.now(UTC)) + MAX_CLOCK_SKEW:
        problems.append("created_at: liegt in der Zukunft – stimmt die Uhr der exportierenden Instanz?")
    seen: dict[PartKey, int] = {}
    editions: dict[str, tuple[Questionnaire | None, dict[str, Callable[[str], bool]]]] = {}
    for i, part in enumerate(doc["parts"]):
        if part["edition"] not in editions:
            q = edition_of(part["edition"])
            editions[part["edition"]] = (q, _bins(q) if q is not None else {})
        problems += _part_problems(i, part, *editions[part["edition"]])
        key = (part["edition"], part["round"], region_key(part["region"]))
        if key in seen:
            problems.append(f"parts[{i}]: derselbe Teil (Ausgabe, Runde, Region) wie parts[{seen[key]}]")
        seen.setdefault(key, i)
    if problems:
        raise _reject(problems)
    parts = tuple(
        Part(
            p["edition"],
            p["round"],
            p["region"],
            p["n_analyses"],
            p["n_groups"],
            date.fromisoformat(p["period"]["first"]),
            date.fromisoformat(p["period"]["last"]),
            _clean(p["histograms"].items(), p["n_analyses"]),
        )
        for p in doc["parts"]
    )
    return Package(doc["package_id"], doc["source_instance"], created_at, parts, doc["sha256"])
