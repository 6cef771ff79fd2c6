"""Reading a national package file: every check, in German with its location, before anything is written."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from mintqo.domain.package import FORMAT, VERSION, Package, PackageError, PartKey, checksum
from mintqo.domain.package_content import is_int, location, part_of, part_problems, short
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import region_key

MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS = 20
# A package written by a clock that runs ahead would block every later package of its instance.
MAX_CLOCK_SKEW = timedelta(days=1)
EditionLookup = Callable[[str], Questionnaire | None]

REJECTED = "Das Paket ist ungültig und wurde nicht importiert; die Datenbank bleibt unverändert."
OLD_FORMAT = (
    "Dieses Paket hat das alte Format 1. Es kann einzelne Antworten preisgeben und wird deshalb nicht "
    "mehr eingelesen; nichts wurde importiert, die Datenbank bleibt unverändert. Bitte exportieren Sie "
    "es in der Quellinstanz mit der aktuellen mintqo-Version neu: python -m mintqo export-package"
)


def _decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise PackageError(REJECTED, [f"Datei zu groß ({len(raw):,} Bytes, höchstens {MAX_BYTES:,})"])
    if not raw.strip():
        raise PackageError(REJECTED, ["Datei ist leer"])
    if b"\x00" in raw:
        raise PackageError(REJECTED, ["keine Textdatei (enthält Binärdaten)"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PackageError(REJECTED, [f"Byte {exc.start}: keine gültige UTF-8-Textdatei"]) from None


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
        raise PackageError(REJECTED, [f"Zeile {exc.lineno}, Spalte {exc.colno}: {problem}"]) from None
    except RecursionError:
        raise PackageError(REJECTED, ["zu tief verschachtelt"]) from None
    except ValueError as exc:  # duplicate keys, NaN/Infinity, integers too long to read
        raise PackageError(REJECTED, [f"kein gültiges Paket-JSON ({exc})"]) from None


_TYPE_NAMES = {
    "object": "ein Objekt",
    "array": "eine Liste",
    "string": "ein Text",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "boolean": "wahr/falsch",
    "null": "null",
}


def _schema_problems(error: Any) -> Iterator[str]:
    """German text for one jsonschema error (with the location of the offending value)."""
    path = list(error.absolute_path)
    where = location(path)
    kind, expected, value, schema = error.validator, error.validator_value, error.instance, error.schema
    if "propertyNames" in error.absolute_schema_path:  # the instance is the offending key
        yield f"{where}: unzulässiger Schlüssel „{short(value)}“"
    elif kind == "required":
        yield from (f"{location([*path, n])}: Pflichtfeld fehlt" for n in expected if n not in value)
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
        yield f"{where}: ungültiges Format („{short(value)}“)"
    elif kind in ("minimum", "maximum"):
        yield f"{where}: muss {'mindestens' if kind == 'minimum' else 'höchstens'} {expected} sein"
    elif kind in ("minLength", "maxLength"):
        yield f"{where}: {'mindestens' if kind == 'minLength' else 'höchstens'} {expected} Zeichen"
    elif kind in ("minItems", "maxItems", "minProperties", "maxProperties"):
        if kind == "minProperties" and expected == 1:
            yield f"{where}: darf nicht leer sein"
        else:
            yield f"{where}: {'mindestens' if kind.startswith('min') else 'höchstens'} {expected} Einträge"
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


def _reject(problems: list[str]) -> PackageError:
    shown = problems[:MAX_PROBLEMS]
    if len(problems) > MAX_PROBLEMS:
        shown.append(f"… und {len(problems) - MAX_PROBLEMS} weitere Probleme")
    return PackageError(REJECTED, shown)


def _check_header(doc: Any, schema: Mapping[str, Any]) -> None:
    """Format, version (format 1 is refused with its own message), the JSON Schema and the checksum."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise PackageError(REJECTED, ["keine mintqo-Paketdatei (Feld „format“ fehlt oder ist falsch)"])
    version = doc.get("version")
    if is_int(version) and version == 1:
        raise PackageError(OLD_FORMAT)
    if not is_int(version) or version != VERSION:
        raise PackageError(
            REJECTED,
            [
                f"version: Paketversion {short(version)} wird nicht unterstützt "
                f"(diese mintqo-Version liest Version {VERSION})"
            ],
        )
    problems = schema_problems(doc, schema)
    if problems:
        raise _reject(problems)
    if checksum(doc) != doc["sha256"]:
        raise PackageError(
            REJECTED, ["sha256: die Prüfsumme stimmt nicht – die Datei ist beschädigt oder wurde verändert"]
        )


def parse_package(
    raw: bytes, schema: Mapping[str, Any], edition_of: EditionLookup, *, now: datetime | None = None
) -> Package:
    """Read and check a package file completely; PackageError with every problem, or the package.

    Checks, in this order: size, text encoding, JSON syntax, format and version, the JSON Schema,
    the checksum, then the content against this instance's questionnaire editions.
    """
    doc = _load_json(_decode(raw))
    _check_header(doc, schema)
    created_at = datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00"))
    if created_at.tzinfo is None:  # pragma: no cover - the schema requires a zone
        created_at = created_at.replace(tzinfo=UTC)
    problems: list[str] = []
    if created_at > (now or datetime.now(UTC)) + MAX_CLOCK_SKEW:
        problems.append("created_at: liegt in der Zukunft – stimmt die Uhr der exportierenden Instanz?")
    seen: dict[PartKey, int] = {}
    editions: dict[str, Questionnaire | None] = {}
    for i, part in enumerate(doc["parts"]):
        if part["edition"] not in editions:
            editions[part["edition"]] = edition_of(part["edition"])
        problems += part_problems(i, part, editions[part["edition"]])
        key = (part["edition"], part["round"], region_key(part["region"]))
        if key in seen:
            problems.append(f"parts[{i}]: derselbe Teil (Ausgabe, Runde, Region) wie parts[{seen[key]}]")
        seen.setdefault(key, i)
    if problems:
        raise _reject(problems)
    parts = tuple(part_of(p) for p in doc["parts"])
    return Package(doc["package_id"], doc["source_instance"], created_at, parts, doc["sha256"])
