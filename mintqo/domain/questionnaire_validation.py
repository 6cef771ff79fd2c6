"""Validate parsed questionnaire data and build a `Questionnaire`, collecting every problem."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from mintqo.domain.questionnaire import (
    ANSWER_VALUES,
    Criterion,
    Questionnaire,
    ScaleOption,
    Statement,
    SubCriterion,
)

FORMAT_VERSION = 1
MAX_CRITERIA = 20
MAX_SUBCRITERIA = 40
MAX_STATEMENTS = 40
MAX_TOTAL_STATEMENTS = 1000
MAX_TITLE = 200
MAX_TEXT = 600
MAX_LONG_TEXT = 3000

_EDITION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
TOP_KEYS = (
    "format",
    "edition",
    "title",
    "short_title",
    "language",
    "description",
    "scale",
    "criteria",
    "mappings",
)
_EXPECTED_SCORES: dict[str, int | None] = {
    "1": 1,
    "2": 2,
    "3": 3,
    "4": 4,
    "na": None,
    "dk": None,
}


@dataclass(frozen=True)
class Problem:
    """One validation problem: where it is and what is wrong (German message)."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class QuestionnaireError(ValueError):
    """Raised when questionnaire data is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


def _type_name(value: object) -> str:
    names = {
        str: "Text",
        int: "Zahl",
        float: "Zahl",
        bool: "Wahrheitswert",
        list: "Liste",
        dict: "Abschnitt",
    }
    return "leer" if value is None else names.get(type(value), type(value).__name__)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.seen_ids: dict[str, str] = {}

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def text(
        self,
        data: dict[str, Any],
        key: str,
        loc: str,
        *,
        max_len: int,
        required: bool = True,
    ) -> str:
        where = f"{loc}.{key}" if loc else key
        value = data.get(key)
        if value is None:
            if required:
                self.add(where, "Pflichtfeld fehlt oder ist leer")
            return ""
        if not isinstance(value, str):
            self.add(where, f"muss Text sein, ist {_type_name(value)}")
            return ""
        value = value.strip()
        if required and not value:
            self.add(where, "Pflichtfeld ist leer")
        if len(value) > max_len:
            self.add(where, f"zu lang ({len(value)} Zeichen, höchstens {max_len})")
        return value

    def mapping(self, value: object, loc: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.add(loc, f"muss ein Abschnitt mit Feldern sein, ist {_type_name(value)}")
            return None
        return value

    def entries(self, raw: list[Any], loc: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Each item of a list that is a section, with its location `loc[i]`; other items are reported."""
        for i, item in enumerate(raw):
            where = f"{loc}[{i}]"
            entry = self.mapping(item, where)
            if entry is not None:
                yield where, entry

    def items(self, data: dict[str, Any], key: str, loc: str, *, max_items: int) -> list[Any]:
        where = f"{loc}.{key}" if loc else key
        value = data.get(key)
        if not isinstance(value, list):
            self.add(where, f"muss eine Liste sein, ist {_type_name(value)}")
            return []
        if not value:
            self.add(where, "Liste ist leer")
        if len(value) > max_items:
            self.add(where, f"zu viele Einträge ({len(value)}, höchstens {max_items})")
            return []
        return value

    def ident(self, data: dict[str, Any], loc: str, *, prefix: str | None = None) -> str:
        value = data.get("id")
        where = f"{loc}.id"
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(where, "Pflichtfeld „id“ fehlt oder ist kein Text")
            return ""
        ident = str(value).strip()
        if not _ID_RE.match(ident):
            self.add(where, f"ungültige Id „{ident[:40]}“ (nur Buchstaben, Ziffern, . _ -)")
            return ""
        if prefix is not None and not ident.startswith(prefix):
            self.add(where, f"Id „{ident}“ muss mit „{prefix}“ beginnen")
        if ident in self.seen_ids:
            self.add(where, f"doppelte Id „{ident}“ (schon bei {self.seen_ids[ident]})")
        else:
            self.seen_ids[ident] = where
        return ident


def _scale(c: _Checker, raw: list[Any]) -> tuple[ScaleOption, ...]:
    options: list[ScaleOption] = []
    seen: set[str] = set()
    for loc, entry in c.entries(raw, "scale"):
        value = entry.get("value")
        value = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if not isinstance(value, str) or value not in _EXPECTED_SCORES:
            allowed = ", ".join(ANSWER_VALUES)
            c.add(
                f"{loc}.value",
                f"unbekannter Skalenwert „{str(value)[:20]}“ (erlaubt: {allowed})",
            )
            continue
        if value in seen:
            c.add(f"{loc}.value", f"Skalenwert „{value}“ kommt doppelt vor")
            continue
        seen.add(value)
        label = c.text(entry, "label", loc, max_len=MAX_TITLE)
        short = c.text(entry, "short", loc, max_len=40, required=False) or label
        score = entry.get("score")
        if score != _EXPECTED_SCORES[value] or isinstance(score, bool):
            expected = _EXPECTED_SCORES[value]
            c.add(
                f"{loc}.score",
                f"muss {'leer (null)' if expected is None else expected} sein",
            )
        options.append(ScaleOption(value, label, short, _EXPECTED_SCORES[value]))
    missing = [v for v in ANSWER_VALUES if v not in seen]
    if raw and missing:
        c.add("scale", f"Skalenwerte fehlen: {', '.join(missing)}")
    order = {v: i for i, v in enumerate(ANSWER_VALUES)}
    return tuple(sorted(options, key=lambda o: order[o.value]))


def _statements(c: _Checker, raw: list[Any], loc: str, sub_id: str) -> tuple[Statement, ...]:
    result = []
    for sloc, entry in c.entries(raw, f"{loc}.statements"):
        sid = c.ident(entry, sloc, prefix=f"{sub_id}." if sub_id else None)
        text = c.text(entry, "text", sloc, max_len=MAX_TEXT)
        result.append(Statement(sid, text))
    return tuple(result)


def _subcriteria(c: _Checker, raw: list[Any], loc: str, crit_id: str) -> tuple[SubCriterion, ...]:
    result = []
    for sloc, entry in c.entries(raw, f"{loc}.subcriteria"):
        sub_id = c.ident(entry, sloc, prefix=crit_id or None)
        title = c.text(entry, "title", sloc, max_len=MAX_TITLE)
        explanation = c.text(entry, "explanation", sloc, max_len=MAX_LONG_TEXT)
        example = c.text(entry, "example", sloc, max_len=MAX_LONG_TEXT)
        raw_statements = c.items(entry, "statements", sloc, max_items=MAX_STATEMENTS)
        statements = _statements(c, raw_statements, sloc, sub_id)
        result.append(SubCriterion(sub_id, title, explanation, example, statements, crit_id))
    return tuple(result)


def parse_questionnaire(data: object) -> Questionnaire:
    """Validate parsed data (dicts/lists) and return the questionnaire, or raise QuestionnaireError."""
    c = _Checker()
    root = c.mapping(data, "(Datei)")
    if root is None:
        raise QuestionnaireError(c.problems)
    for key in sorted(set(map(str, root)) - set(TOP_KEYS)):
        c.add(key[:40], "unbekanntes Feld")
    fmt = root.get("format")
    if fmt != FORMAT_VERSION or isinstance(fmt, bool):
        c.add("format", f"muss {FORMAT_VERSION} sein (Dateiformat-Version)")
    edition = c.text(root, "edition", "", max_len=80)
    if edition and not _EDITION_RE.match(edition):
        c.add("edition", "nur Buchstaben, Ziffern, . _ - erlaubt")
    title = c.text(root, "title", "", max_len=MAX_TITLE)
    short_title = c.text(root, "short_title", "", max_len=MAX_TITLE, required=False) or edition
    language = c.text(root, "language", "", max_len=10, required=False) or "de"
    description = c.text(root, "description", "", max_len=MAX_LONG_TEXT, required=False)
    scale = _scale(c, c.items(root, "scale", "", max_items=len(ANSWER_VALUES) + 4))

    criteria = []
    for loc, entry in c.entries(c.items(root, "criteria", "", max_items=MAX_CRITERIA), "criteria"):
        crit_id = c.ident(entry, loc)
        crit_title = c.text(entry, "title", loc, max_len=MAX_TITLE)
        crit_desc = c.text(entry, "description", loc, max_len=MAX_LONG_TEXT, required=False)
        raw_subs = c.items(entry, "subcriteria", loc, max_items=MAX_SUBCRITERIA)
        subs = _subcriteria(c, raw_subs, loc, crit_id)
        criteria.append(Criterion(crit_id, crit_title, crit_desc, subs))

    total = sum(len(s.statements) for crit in criteria for s in crit.subcriteria)
    if total > MAX_TOTAL_STATEMENTS:
        c.add(
            "criteria",
            f"zu viele Aussagen insgesamt ({total}, höchstens {MAX_TOTAL_STATEMENTS})",
        )
    known = {st.id for crit in criteria for sub in crit.subcriteria for st in sub.statements}
    mappings = _mappings(c, root.get("mappings"), known)
    if c.problems:
        raise QuestionnaireError(c.problems)
    return Questionnaire(edition, title, short_title, language, description, scale, tuple(criteria), mappings)


def _mappings(c: _Checker, raw: object, known: set[str]) -> dict[str, dict[str, str | None]]:
    """`mappings: [{from: EDITION, statements: {OLD_ID: NEW_ID or null}}]` – ids that changed."""
    if raw is None:
        return {}
    if not isinstance(raw, list):
        c.add("mappings", f"muss eine Liste sein, ist {_type_name(raw)}")
        return {}
    out: dict[str, dict[str, str | None]] = {}
    for loc, entry in c.entries(raw[:50], "mappings"):
        source = c.text(entry, "from", loc, max_len=80)
        pairs = entry.get("statements")
        if not isinstance(pairs, dict):
            c.add(f"{loc}.statements", f"muss ein Abschnitt OLD_ID: NEW_ID sein, ist {_type_name(pairs)}")
            continue
        table: dict[str, str | None] = {}
        for old, new in list(pairs.items())[:MAX_TOTAL_STATEMENTS]:
            if new is not None and (not isinstance(new, str) or new not in known):
                c.add(
                    f"{loc}.statements.{str(old)[:32]}",
                    f"Ziel „{str(new)[:32]}“ gibt es in dieser Ausgabe nicht",
                )
                continue
            table[str(old)] = new
        out[source] = table
    return out
