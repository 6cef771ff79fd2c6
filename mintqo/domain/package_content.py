"""Checking a package's parts against this instance's questionnaire editions, in German with locations."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from mintqo.domain.anonymity import MIN_K, rated
from mintqo.domain.histograms import NONE, STATEMENT_BINS, criterion_item, statement_item, sub_item
from mintqo.domain.measures import STATUSES as MEASURE_STATUSES
from mintqo.domain.package import GATE, Part, gated
from mintqo.domain.profile import clean_text
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import region_key

SCORE_BINS = frozenset({NONE, *(str(i) for i in range(10, 41))})

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


def short(value: Any) -> str:
    """A value as it is quoted in a problem (at most 40 characters)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def is_int(value: Any) -> bool:
    """Whether a JSON value is a whole number (not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _bins(q: Questionnaire) -> dict[str, frozenset[str]]:
    """Every histogram item of an edition with its valid bins."""
    out = {statement_item(st.id): frozenset(STATEMENT_BINS) for st in q.statements()}
    out |= {sub_item(sub.id): SCORE_BINS for sub in q.subcriteria}
    return out | {criterion_item(crit.id): SCORE_BINS for crit in q.criteria}


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _histogram_problems(
    i: int, n: int, hists: Mapping[str, Mapping[str, Any]], q: Questionnaire
) -> list[str]:
    """Items of the edition, valid bins, whole counts, at most n analyses, at least GATE ratings."""
    problems: list[str] = []
    expected = _bins(q)
    for item, hist in hists.items():
        at = location(["parts", i, "histograms", item])
        if item not in expected:
            problems.append(f"{at}: gehört nicht zur Ausgabe „{q.edition}“")
            continue
        wrong = [b for b in hist if b not in expected[item]]
        if wrong:
            problems.append(f"{at}: ungültiger Wert „{short(wrong[0])}“ für dieses Merkmal")
        if not all(is_int(c) and c >= 0 for c in hist.values()):
            problems.append(f"{at}: Anzahlen müssen ganze Zahlen ≥ 0 sein")
        elif sum(hist.values()) > n:
            problems.append(f"{at}: Summe {sum(hist.values())} größer als n_analyses = {n}")
        elif not wrong and rated(item, hist) < GATE:
            problems.append(f"{at}: beruht auf weniger als {GATE} Bewertungen (Anonymitätsschwelle)")
    return problems


def _total_problems(i: int, part: Mapping[str, Any], q: Questionnaire) -> list[str]:
    """Totals of known sub-criteria and statuses; "weiß nicht" fits n and the statements' "dk" answers."""
    problems: list[str] = []
    n, hists = part["n_analyses"], part["histograms"]
    subs = {sub.id: sub for sub in q.subcriteria}
    for field in ("dont_know", "measures"):
        problems += [
            f"{location(['parts', i, field, sub_id])}: gehört nicht zur Ausgabe „{q.edition}“"
            for sub_id in part[field]
            if sub_id not in subs
        ]
    totals = [(["dont_know", sub_id], t) for sub_id, t in part["dont_know"].items()]
    for sub_id, by_status in part["measures"].items():
        for status, t in by_status.items():
            totals.append((["measures", sub_id, status], t))
            if status not in MEASURE_STATUSES:
                problems.append(f"{location(['parts', i, 'measures', sub_id, status])}: unbekannter Status")
    wrong = [location(["parts", i, *path]) for path, t in totals if not is_int(t)]
    if wrong:
        return problems + [f"{at}: muss eine ganze Zahl ≥ 0 sein" for at in wrong]
    for sub_id, total in part["dont_know"].items():
        if sub_id not in subs:
            continue
        at = location(["parts", i, "dont_know", sub_id])
        statements = [hists.get(statement_item(st.id)) for st in subs[sub_id].statements]
        if total > n * len(statements):
            problems.append(f"{at}: {total} „weiß nicht“ sind mehr, als {n} Analysen geben können")
        seen = [h for h in statements if h is not None and all(is_int(c) for c in h.values())]
        dk = sum(h.get("dk", 0) for h in seen)
        every = len(seen) == len(statements) and all(sum(h.values()) == n for h in seen)
        if dk > total or (every and dk != total):
            problems.append(f"{at}: {total} „weiß nicht“, aber {dk} in den Aussagen von {sub_id}")
    return problems


def part_problems(i: int, part: Mapping[str, Any], q: Questionnaire | None) -> list[str]:
    """Every problem of parts[i] (already valid against the schema) with this instance's edition q."""
    where = f"parts[{i}]"
    problems: list[str] = []
    region = part["region"]
    if clean_text(region) != region or len(region_key(region)) < 2:
        problems.append(f"{where}.region: ungültige Region „{short(region)}“")
    n, n_groups = part["n_analyses"], part["n_groups"]
    if not all(is_int(v) for v in (n, n_groups, part["round"])):
        problems.append(f"{where}: round, n_analyses und n_groups müssen ganze Zahlen sein")
        return problems
    if n_groups * MIN_K > n:  # releases made before format 2 may rest on MIN_K analyses
        problems.append(
            f"{where}.n_groups: {n_groups} Gruppen passen nicht zu {n} Analysen (jede hat mindestens {MIN_K})"
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
    return problems + _histogram_problems(i, n, part["histograms"], q) + _total_problems(i, part, q)


def part_of(p: Mapping[str, Any]) -> Part:
    """A checked part of the document as a Part."""
    return Part(
        p["edition"],
        p["round"],
        p["region"],
        p["n_analyses"],
        p["n_groups"],
        date.fromisoformat(p["period"]["first"]),
        date.fromisoformat(p["period"]["last"]),
        gated(p["histograms"].items()),
        dict(sorted(p["dont_know"].items())),
        {sub: dict(sorted(m.items())) for sub, m in sorted(p["measures"].items())},
    )
