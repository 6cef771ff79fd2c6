"""The national data package in the domain: building, merging, the checksum and every rejection."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict

from mintqo.config import PROJECT_ROOT
from mintqo.domain import package as pkg
from mintqo.domain.anonymity import MIN_K
from mintqo.domain.benchmark import contribution, histograms_of, measure_item, merge
from mintqo.domain.package import Package, PackageError, Part, Snapshot
from mintqo.domain.questionnaire import ANSWER_VALUES
from mintqo.domain.questionnaire_schema import parse_questionnaire

SMALL = parse_questionnaire(small_dict())
SCHEMA = json.loads((PROJECT_ROOT / "data/schemas/national-package-1.schema.json").read_text("utf-8"))
EDITIONS = {SMALL.edition: SMALL}
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
PACKAGE_ID = "0b6c7a52-4a55-4d1c-9d0e-3f8a1b2c3d4e"
SOURCE = "5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"

_PROPS = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


def _analysis(rng: random.Random) -> dict[str, str]:
    answers = {s.id: rng.choice(ANSWER_VALUES) for s in SMALL.statements() if rng.random() < 0.85}
    counts = {(sub.id, "geplant"): rng.randint(0, 2) for sub in SMALL.subcriteria if rng.random() < 0.3}
    return contribution(SMALL, answers, counts)


def _snapshot(
    rng: random.Random, region: str = "Nord", n: int = 4, round_no: int = 1, day: int = 1
) -> Snapshot:
    hists = histograms_of(_analysis(rng) for _ in range(n))
    return Snapshot(SMALL.edition, round_no, region, n, date(2026, 11, day), hists)


def _package(parts: list[Part] | None = None, seed: int = 1) -> Package:
    if parts is None:
        rng = random.Random(seed)
        parts = pkg.build_parts(
            [_snapshot(rng, "Nord", 4, day=3), _snapshot(rng, "Nord", 3, day=9), _snapshot(rng, "Süd", 5)]
        )
    return pkg.make_package(parts, package_id=PACKAGE_ID, source_instance=SOURCE, created_at=NOW)


def _parse(raw: bytes) -> Package:
    return pkg.parse_package(raw, SCHEMA, EDITIONS.get, now=NOW)


def _doc() -> dict[str, Any]:
    return json.loads(pkg.to_bytes(_package()))


def _resign(doc: dict[str, Any]) -> bytes:
    """A document with its checksum recomputed, as a careful forger would."""
    doc = copy.deepcopy(doc)
    doc["sha256"] = pkg.checksum(doc)
    return json.dumps(doc).encode()


def _rejected(raw: bytes) -> PackageError:
    with pytest.raises(PackageError) as info:
        _parse(raw)
    return info.value


# --- building -----------------------------------------------------------------------------------------


def test_build_sums_the_groups_of_a_region_per_edition_and_round():
    rng = random.Random(3)
    a, b = _snapshot(rng, "Nord", 4, day=3), _snapshot(rng, "nord", 3, day=9)
    c, later = _snapshot(rng, "Süd", 5, day=5), _snapshot(rng, "Nord", 3, round_no=2, day=20)
    parts = pkg.build_parts([c, a, later, b])
    assert [(p.round, p.region, p.n_analyses, p.n_groups) for p in parts] == [
        (1, "Nord", 7, 2),  # "Nord" and "nord" are one region; the smaller spelling names it
        (1, "Süd", 5, 1),
        (2, "Nord", 3, 1),
    ]
    nord = parts[0]
    assert (nord.first, nord.last) == (date(2026, 11, 3), date(2026, 11, 9))
    assert nord.histograms == {
        item: {k: v for k, v in sorted(h.items()) if v}
        for item, h in sorted(merge([a.hists, b.hists]).items())
    }
    for part in parts:
        for hist in part.histograms.values():
            assert sum(hist.values()) == part.n_analyses
            assert 0 not in hist.values()


def test_build_leaves_out_parts_below_min_k_and_empty_snapshots():
    rng = random.Random(4)
    small = Snapshot(
        SMALL.edition, 1, "Ost", 2, date(2026, 11, 1), histograms_of(_analysis(rng) for _ in range(2))
    )
    empty = Snapshot(SMALL.edition, 1, "West", 0, date(2026, 11, 1), {})
    assert pkg.build_parts([small, empty]) == []
    assert [p.n_analyses for p in pkg.build_parts([small, _snapshot(rng, "Ost", 3)])] == [5]


def test_build_drops_measure_counts_that_cover_only_some_analyses():
    rng = random.Random(5)
    legacy_hists = {k: v for k, v in histograms_of(_analysis(rng) for _ in range(3)).items() if k[0] != "m"}
    legacy = Snapshot(SMALL.edition, 1, "Nord", 3, date(2026, 10, 1), legacy_hists)
    parts = pkg.build_parts([legacy, _snapshot(rng, "Nord", 4)])
    assert not any(item.startswith("m:") for item in parts[0].histograms)
    assert measure_item("A1", "geplant") in pkg.build_parts([_snapshot(rng, "Nord", 4)])[0].histograms
    _parse(pkg.to_bytes(_package(parts)))  # still a valid package


def test_a_package_holds_only_aggregates_and_round_trips():
    package = _package()
    raw = pkg.to_bytes(package)
    doc = json.loads(raw)
    assert set(doc) == {"format", "version", "package_id", "source_instance", "created_at", "parts", "sha256"}
    assert doc["format"] == "mintqo-national-package" and doc["version"] == 1
    assert doc["created_at"] == "2026-12-01T08:00:00.000000Z"
    for part in doc["parts"]:
        assert set(part) == {"edition", "round", "region", "n_analyses", "n_groups", "period", "histograms"}
    assert _parse(raw) == package
    assert raw.endswith(b"\n") and raw.decode("utf-8")


def test_checksum_is_over_the_canonical_json_of_everything_but_itself():
    doc = _doc()
    assert pkg.checksum(doc) == doc["sha256"]
    shuffled = dict(reversed(list(doc.items())))
    assert pkg.checksum(shuffled) == doc["sha256"]  # key order does not matter
    assert pkg.checksum({**doc, "sha256": "0" * 64}) == doc["sha256"]  # nor the field itself
    assert pkg.canonical_json({"b": 1, "a": "ä"}) == '{"a":"ä","b":1}'.encode()
    changed = copy.deepcopy(doc)
    changed["parts"][0]["histograms"]["s:A1.1"]["1"] = (
        changed["parts"][0]["histograms"]["s:A1.1"].get("1", 0) + 1
    )
    assert pkg.checksum(changed) != doc["sha256"]


# --- merging ------------------------------------------------------------------------------------------

_regions = st.sampled_from(["Nord", "nord", "Süd", "Ost"])


@st.composite
def _snapshots(draw: Any) -> list[Snapshot]:
    rng = draw(st.randoms(use_true_random=False))
    specs = draw(
        st.lists(
            st.tuples(_regions, st.integers(MIN_K, 7), st.integers(1, 2), st.integers(1, 28)), max_size=7
        )
    )
    return [_snapshot(rng, region, n, round_no, day) for region, n, round_no, day in specs]


@_PROPS
@given(_snapshots(), st.randoms(use_true_random=False))
def test_merge_of_two_packages_equals_the_package_of_the_union(snapshots, rnd):
    one = [s for s in snapshots if rnd.random() < 0.5]
    other = [s for s in snapshots if s not in one]
    merged = pkg.merge_parts(pkg.build_parts(one), pkg.build_parts(other))
    assert merged == pkg.build_parts(snapshots)
    # … also through the file: what a national instance reads back sums the same way.
    read = [_parse(pkg.to_bytes(_package(pkg.build_parts(s)))).parts for s in (one, other)]
    assert pkg.merge_parts(*read) == pkg.build_parts(snapshots)


@_PROPS
@given(_snapshots(), _snapshots(), _snapshots())
def test_merge_is_commutative_and_associative(a, b, c):
    pa, pb, pc = (pkg.build_parts(s) for s in (a, b, c))
    assert pkg.merge_parts(pa, pb) == pkg.merge_parts(pb, pa)
    assert pkg.merge_parts(pkg.merge_parts(pa, pb), pc) == pkg.merge_parts(pa, pkg.merge_parts(pb, pc))
    assert pkg.merge_parts(pa) == pa


# --- rejections ---------------------------------------------------------------------------------------


def test_malformed_json_is_rejected_with_its_position():
    err = _rejected(b'{"format": "mintqo-national-package", "version": 1,, }')
    assert "Zeile 1, Spalte" in str(err) and "kein gültiges JSON" in str(err)
    assert err.message.startswith("Das Paket ist ungültig und wurde nicht importiert")
    assert "die Datenbank bleibt unverändert" in err.message


@pytest.mark.parametrize("cut", [1, 10, 200, 0.5, 0.99, -2])
def test_a_truncated_file_is_rejected(cut):
    raw = pkg.to_bytes(_package())
    end = int(len(raw) * cut) if isinstance(cut, float) else cut
    err = _rejected(raw[:end])
    assert "unvollständig" in str(err) or "kein gültiges JSON" in str(err)


def test_a_changed_count_without_a_new_checksum_is_rejected():
    doc = _doc()
    hist = doc["parts"][0]["histograms"]["s:A1.1"]
    first = next(iter(hist))
    hist[first] += 1
    err = _rejected(json.dumps(doc).encode())
    assert err.problems == [
        "sha256: die Prüfsumme stimmt nicht – die Datei ist beschädigt oder wurde verändert"
    ]


def test_a_changed_count_with_a_new_checksum_is_rejected_by_the_sums():
    doc = _doc()
    hist = doc["parts"][0]["histograms"]["s:A1.1"]
    hist[next(iter(hist))] += 1
    err = _rejected(_resign(doc))
    n = doc["parts"][0]["n_analyses"]
    assert err.problems == [f'parts[0].histograms["s:A1.1"]: Summe {n + 1} statt n_analyses = {n}']


def test_a_changed_n_with_a_new_checksum_is_rejected_by_every_sum():
    doc = _doc()
    doc["parts"][1]["n_analyses"] += 3
    err = _rejected(_resign(doc))
    assert all(p.startswith("parts[1].histograms") for p in err.problems[:-1])
    assert len(err.problems) == pkg.MAX_PROBLEMS + 1 and err.problems[-1].endswith("weitere Probleme")


@pytest.mark.parametrize("version", [2, 0, "1", 1.0, True, None])
def test_a_wrong_version_is_rejected(version):
    doc = _doc()
    doc["version"] = version
    err = _rejected(_resign(doc))
    assert err.problems[0].startswith("version: Paketversion")
    assert "liest Version 1" in err.problems[0]


@pytest.mark.parametrize("fmt", ["mintqo-backup", None, 1])
def test_a_wrong_format_is_rejected(fmt):
    doc = _doc()
    doc["format"] = fmt
    assert _rejected(_resign(doc)).problems == [
        "keine mintqo-Paketdatei (Feld „format“ fehlt oder ist falsch)"
    ]
    assert _rejected(b"[1, 2, 3]").problems == [
        "keine mintqo-Paketdatei (Feld „format“ fehlt oder ist falsch)"
    ]


def test_an_unknown_edition_is_rejected():
    doc = _doc()
    doc["parts"][0]["edition"] = "andere-2030.1"
    err = _rejected(_resign(doc))
    assert err.problems == [
        "parts[0].edition: die Fragebogen-Ausgabe „andere-2030.1“ gibt es in dieser Instanz nicht – "
        "bitte zuerst die Ausgabe-Datei hinzufügen"
    ]


def test_a_part_below_three_analyses_is_rejected():
    rng = random.Random(9)
    hists = histograms_of(_analysis(rng) for _ in range(2))
    part = Part(
        SMALL.edition, 1, "Nord", 2, 1, date(2026, 11, 1), date(2026, 11, 1), pkg._clean(hists.items(), 2)
    )
    err = _rejected(pkg.to_bytes(_package([part])))
    assert "parts[0].n_analyses: muss mindestens 3 sein" in err.problems


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ((), "note: unbekanntes Feld"),
        (("parts", 0), "parts[0].note: unbekanntes Feld"),
        (("parts", 0, "period"), "parts[0].period.note: unbekanntes Feld"),
    ],
)
def test_unknown_keys_are_rejected(where, expected):
    doc = _doc()
    target: Any = doc
    for step in where:
        target = target[step]
    target["note"] = "Projekt „Forscher-AG“ hat 1 bei A1.1"
    assert expected in _rejected(_resign(doc)).problems


def test_unknown_items_and_bins_are_rejected():
    doc = _doc()
    hists = doc["parts"][0]["histograms"]
    n = doc["parts"][0]["n_analyses"]
    hists["s:Z9.9"] = {"1": n}
    hists["x:A1"] = {"1": n}
    hists["Name der Initiative"] = {"1": n}
    problems = _rejected(_resign(doc)).problems
    assert (
        'parts[0].histograms["s:Z9.9"]: gehört nicht zur Ausgabe „test-2026.1“' not in problems
    )  # schema first
    assert "parts[0].histograms: unzulässiger Schlüssel „x:A1“" in problems
    assert "parts[0].histograms: unzulässiger Schlüssel „Name der Initiative“" in problems
    del hists["x:A1"], hists["Name der Initiative"]
    assert _rejected(_resign(doc)).problems == [
        'parts[0].histograms["s:Z9.9"]: gehört nicht zur Ausgabe „test-2026.1“'
    ]


@pytest.mark.parametrize(
    ("item", "bin_"),
    [("s:A1.1", "5"), ("u:A1", "45"), ("u:A1", "9"), ("c:A", "open"), ("d:A2", "3"), ("m:A1:geplant", "01")],
)
def test_bins_must_be_valid_for_their_item(item, bin_):
    doc = _doc()
    hist = doc["parts"][0]["histograms"].setdefault(item, {})
    # Move one analysis into the invalid bin, so only the bin is wrong (the sum still fits).
    if item.startswith("m:") and not hist:
        hist["0"] = doc["parts"][0]["n_analyses"]
    source = next(iter(hist))
    hist[source] -= 1
    hist = {b: c for b, c in hist.items() if c}
    hist[bin_] = hist.get(bin_, 0) + 1
    doc["parts"][0]["histograms"][item] = hist
    problems = _rejected(_resign(doc)).problems
    assert any(p.startswith(f'parts[0].histograms["{item}"]: ungültiger Wert „{bin_}“') for p in problems), (
        problems
    )


@pytest.mark.parametrize("count", [1.0, True, -1, "3"])
def test_counts_must_be_non_negative_integers(count):
    doc = _doc()
    hist = doc["parts"][0]["histograms"]["s:A1.1"]
    hist[next(iter(hist))] = count
    problems = _rejected(_resign(doc)).problems
    assert any(p.startswith('parts[0].histograms["s:A1.1"]') for p in problems), problems


def test_a_missing_item_is_rejected():
    doc = _doc()
    del doc["parts"][0]["histograms"]["s:B2.3"], doc["parts"][0]["histograms"]["u:B2"]
    assert _rejected(_resign(doc)).problems == ["parts[0].histograms: es fehlen s:B2.3, u:B2"]


def test_dont_know_counts_must_match_the_statements():
    doc = _doc()
    part = doc["parts"][0]
    dk = part["histograms"]["d:A2"]
    n = part["n_analyses"]
    part["histograms"]["d:A2"] = {"2": n} if dk != {"2": n} else {"0": n}
    problems = _rejected(_resign(doc)).problems
    assert len(problems) == 1 and "„weiß nicht“ in d:A2" in problems[0] and "Aussagen von A2" in problems[0]


def test_parts_twice_groups_that_cannot_be_and_bad_periods_are_rejected():
    doc = _doc()
    twice = copy.deepcopy(doc["parts"][0])
    twice["region"] = twice["region"].upper()
    doc["parts"].append(twice)
    doc["parts"][1]["n_groups"] = doc["parts"][1]["n_analyses"]
    doc["parts"][0]["period"] = {"first": "2026-11-09", "last": "2026-11-03"}
    problems = _rejected(_resign(doc)).problems
    assert "parts[2]: derselbe Teil (Ausgabe, Runde, Region) wie parts[0]" in problems
    assert any(p.startswith("parts[1].n_groups:") and "mindestens 3" in p for p in problems)
    assert "parts[0].period: „first“ liegt nach „last“" in problems
    doc = _doc()
    doc["parts"][0]["period"]["first"] = "2026-02-30"
    assert _rejected(_resign(doc)).problems == ["parts[0].period: kein gültiges Datum"]


def test_region_must_be_clean_text():
    doc = _doc()
    doc["parts"][0]["region"] = "  Nord\n"
    assert _rejected(_resign(doc)).problems[0].startswith("parts[0].region: ungültige Region")


def test_ids_dates_and_checksum_must_have_their_format():
    doc = _doc()
    doc["package_id"] = "Paket von Schülerlabor Nord"
    doc["created_at"] = "gestern"
    problems = _rejected(_resign(doc)).problems
    assert "package_id: ungültiges Format („Paket von Schülerlabor Nord“)" in problems
    assert "created_at: ungültiges Format („gestern“)" in problems
    doc = _doc()
    del doc["sha256"]
    assert _rejected(json.dumps(doc).encode()).problems == ["sha256: Pflichtfeld fehlt"]


def test_a_package_from_the_future_is_rejected():
    future = pkg.make_package(
        _package().parts, package_id=PACKAGE_ID, source_instance=SOURCE, created_at=NOW + timedelta(days=3)
    )
    assert _rejected(pkg.to_bytes(future)).problems == [
        "created_at: liegt in der Zukunft – stimmt die Uhr der exportierenden Instanz?"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "Datei ist leer"),
        (b"  \n", "Datei ist leer"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "keine Textdatei (enthält Binärdaten)"),
        (b'{"format": "mintqo-national-package", "x": "\xff\xfe"}', "Byte 44: keine gültige UTF-8-Textdatei"),
        (b'{"a": 1, "a": 2}', "kein gültiges Paket-JSON (Schlüssel „a“ doppelt)"),
        (b'{"a": NaN}', "kein gültiges Paket-JSON (NaN ist keine erlaubte Zahl)"),
        (b"[" * 100_000, "zu tief verschachtelt"),
    ],
)
def test_files_that_are_not_json_text_are_rejected(raw, expected):
    problems = _rejected(raw).problems
    assert len(problems) == 1 and problems[0].endswith(expected), problems


def test_an_oversized_file_is_rejected_before_parsing():
    raw = b" " * pkg.MAX_BYTES + b"{}"
    assert _rejected(raw).problems[0].startswith("Datei zu groß")


def test_the_schema_file_is_a_valid_json_schema_and_accepts_what_is_written():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(SCHEMA)
    assert pkg.schema_problems(_doc(), SCHEMA) == []
    empty = pkg.make_package([], package_id=PACKAGE_ID, source_instance=SOURCE, created_at=NOW)
    assert _parse(pkg.to_bytes(empty)).parts == ()  # an empty package is valid (it can replace an older one)


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_changed_byte_is_rejected_or_changes_nothing(data):
    raw = bytearray(pkg.to_bytes(_package()))
    original = _parse(bytes(raw))
    for _ in range(data.draw(st.integers(1, 3))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] = data.draw(st.integers(0, 255))
    try:
        parsed = _parse(bytes(raw))
    except PackageError:
        return
    assert parsed == original  # e.g. whitespace changed: the content is the same
