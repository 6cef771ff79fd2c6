"""Questionnaire files: the default edition loads, broken data is rejected with every problem located."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict

from mintqo.cli import main as cli_main
from mintqo.config import PROJECT_ROOT
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.domain.questionnaire_validation import (
    MAX_STATEMENTS,
    MAX_TITLE,
    TOP_KEYS,
    QuestionnaireError,
    parse_questionnaire,
)
from mintqo.domain.rounds import carry_over
from mintqo.questionnaire_files import MAX_FILE_BYTES, check_file, load_bytes, load_file


def _problems(data) -> list:
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(data)
    problems = info.value.problems
    assert problems, "QuestionnaireError without problems"
    return problems


def _located(problems, location: str) -> list[str]:
    return [p.message for p in problems if p.location == location]


def _load_problems(raw: bytes) -> list:
    with pytest.raises(QuestionnaireError) as info:
        load_bytes(raw)
    assert info.value.problems
    return info.value.problems


def _yaml(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


# --- the shipped default edition --------------------------------------------------------------


def test_default_file_loads_with_expected_shape(default_file):
    q = load_file(default_file)
    assert isinstance(q, Questionnaire)
    assert q.edition == "mintqo-standard-2026.1"
    assert len(q.criteria) == 3
    assert len(q.subcriteria) == 15
    assert q.statement_count == 60
    assert len(list(q.statements())) == 60
    assert [o.value for o in q.scale] == list(ANSWER_VALUES)
    assert [o.score for o in q.scale] == [1, 2, 3, 4, None, None]


def test_default_file_subcriteria_have_explanation_example_and_statements(default_file):
    q = load_file(default_file)
    for sub in q.subcriteria:
        assert sub.title.strip(), sub.id
        assert len(sub.explanation) > 40, sub.id
        assert len(sub.example) > 40, sub.id
        assert sub.statements, sub.id
        assert all(st.id.startswith(f"{sub.id}.") and st.text.strip() for st in sub.statements)


def test_default_file_ids_are_unique(default_file):
    q = load_file(default_file)
    ids = [c.id for c in q.criteria] + [s.id for s in q.subcriteria] + [st.id for st in q.statements()]
    assert len(ids) == len(set(ids)) == 3 + 15 + 60


def test_default_file_has_no_problems(default_file):
    assert check_file(default_file) == []


def test_small_dict_is_valid():
    q = parse_questionnaire(small_dict())
    assert [s.id for s in q.subcriteria] == ["A1", "A2", "B1", "B2"]
    assert q.statement_count == 10


def test_load_bytes_accepts_yaml_json_and_utf8_bom():
    data = small_dict()
    for raw in (_yaml(data), json.dumps(data).encode(), b"\xef\xbb\xbf" + _yaml(data)):
        assert load_bytes(raw).statement_count == 10


def test_missing_file_is_a_questionnaire_error(tmp_path):
    problems = check_file(tmp_path / "fehlt.yaml")
    assert problems and "nicht gefunden" in problems[0].message


# --- structural problems, each with its location ----------------------------------------------


@pytest.mark.parametrize("root", [[], [1, 2], "Fragebogen", 42, None, 3.5, True])
def test_non_mapping_root_is_rejected(root):
    problems = _problems(root)
    assert len(problems) == 1
    assert problems[0].location == "(Datei)"
    assert "Abschnitt" in problems[0].message


@pytest.mark.parametrize(
    ("path", "location"),
    [
        (("title",), "title"),
        (("edition",), "edition"),
        (("format",), "format"),
        (("scale",), "scale"),
        (("criteria",), "criteria"),
        (("criteria", 0, "title"), "criteria[0].title"),
        (("criteria", 1, "id"), "criteria[1].id"),
        (("criteria", 0, "subcriteria", 1, "explanation"), "criteria[0].subcriteria[1].explanation"),
        (("criteria", 1, "subcriteria", 0, "example"), "criteria[1].subcriteria[0].example"),
        (
            ("criteria", 1, "subcriteria", 0, "statements", 1, "text"),
            "criteria[1].subcriteria[0].statements[1].text",
        ),
        (("scale", 2, "label"), "scale[2].label"),
    ],
)
def test_missing_required_field_is_located(path, location):
    data = small_dict()
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    del parent[path[-1]]
    problems = _problems(data)
    assert _located(problems, location), [str(p) for p in problems]


def test_blank_required_text_is_rejected():
    data = small_dict()
    data["criteria"][0]["subcriteria"][0]["statements"][0]["text"] = "   "
    problems = _problems(data)
    assert _located(problems, "criteria[0].subcriteria[0].statements[0].text") == ["Pflichtfeld ist leer"]


def test_every_problem_names_a_location():
    data = small_dict()
    data["title"] = ["kein", "Text"]
    del data["criteria"][0]["subcriteria"][0]["example"]
    data["scale"][0]["score"] = "1"
    problems = _problems(data)
    assert all(p.location for p in problems)
    assert all(str(p).startswith(f"{p.location}: ") for p in problems)


@pytest.mark.parametrize(
    ("mutate", "location", "fragment"),
    [
        (lambda d: d.__setitem__("title", ["a", "b"]), "title", "ist Liste"),
        (lambda d: d.__setitem__("edition", 2026), "edition", "ist Zahl"),
        (lambda d: d.__setitem__("description", {"a": 1}), "description", "ist Abschnitt"),
        (
            lambda d: d["criteria"][0]["subcriteria"][0].__setitem__("statements", {"A1.1": "x"}),
            "criteria[0].subcriteria[0].statements",
            "Liste",
        ),
        (lambda d: d.__setitem__("criteria", "A, B"), "criteria", "Liste"),
        (lambda d: d["scale"][0].__setitem__("score", "1"), "scale[0].score", "1"),
        (lambda d: d["scale"][0].__setitem__("score", True), "scale[0].score", "1"),
        (lambda d: d["criteria"].__setitem__(1, "B"), "criteria[1]", "Abschnitt"),
        (
            lambda d: d["criteria"][0]["subcriteria"][1]["statements"].__setitem__(0, ["A2.1"]),
            "criteria[0].subcriteria[1].statements[0]",
            "Abschnitt",
        ),
        (lambda d: d.__setitem__("format", 2), "format", "1"),
        (lambda d: d.__setitem__("format", True), "format", "1"),
        (lambda d: d.__setitem__("edition", "mit Leerzeichen"), "edition", "Buchstaben"),
        (lambda d: d["criteria"][0].__setitem__("id", ["A"]), "criteria[0].id", "id"),
    ],
)
def test_wrong_types_are_rejected_with_location(mutate, location, fragment):
    data = small_dict()
    mutate(data)
    problems = _problems(data)
    messages = _located(problems, location)
    assert messages, [str(p) for p in problems]
    assert any(fragment in m for m in messages), messages


def test_duplicate_statement_id_names_first_location():
    data = small_dict()
    data["criteria"][0]["subcriteria"][0]["statements"][2]["id"] = "A1.1"
    problems = _problems(data)
    messages = _located(problems, "criteria[0].subcriteria[0].statements[2].id")
    assert len(messages) == 1
    assert "doppelte Id „A1.1“" in messages[0]
    assert "criteria[0].subcriteria[0].statements[0].id" in messages[0]


def test_duplicate_subcriterion_id_names_first_location():
    data = small_dict()
    sub = data["criteria"][0]["subcriteria"][1]
    sub["id"] = "A1"
    for k, statement in enumerate(sub["statements"], start=4):
        statement["id"] = f"A1.{k}"
    problems = _problems(data)
    assert [str(p) for p in problems] == [
        "criteria[0].subcriteria[1].id: doppelte Id „A1“ (schon bei criteria[0].subcriteria[0].id)"
    ]


def test_duplicate_criterion_id_is_rejected():
    data = small_dict()
    data["criteria"][1]["id"] = "A"
    problems = _problems(data)
    assert any("doppelte Id „A“" in m for m in _located(problems, "criteria[1].id"))


def test_statement_id_must_start_with_its_subcriterion_id():
    data = small_dict()
    data["criteria"][0]["subcriteria"][0]["statements"][1]["id"] = "B1.9"
    data["criteria"][0]["subcriteria"][1]["statements"][0]["id"] = "A21"  # no dot after "A2"
    problems = _problems(data)
    first = _located(problems, "criteria[0].subcriteria[0].statements[1].id")
    second = _located(problems, "criteria[0].subcriteria[1].statements[0].id")
    assert first and "„A1.“" in first[0]
    assert second and "„A2.“" in second[0]


def test_subcriterion_id_must_start_with_its_criterion_id():
    data = small_dict()
    data["criteria"][1]["subcriteria"][0]["id"] = "C1"
    for k, statement in enumerate(data["criteria"][1]["subcriteria"][0]["statements"], start=1):
        statement["id"] = f"C1.{k}"
    problems = _problems(data)
    assert any("„B“" in m for m in _located(problems, "criteria[1].subcriteria[0].id"))


@pytest.mark.parametrize("bad_id", ["A1 1", "", "-A1.1", "A1.1/x", "Ä1.1", "A1." + "x" * 40])
def test_invalid_statement_id_is_rejected(bad_id):
    data = small_dict()
    data["criteria"][0]["subcriteria"][0]["statements"][0]["id"] = bad_id
    problems = _problems(data)
    assert _located(problems, "criteria[0].subcriteria[0].statements[0].id")


def test_empty_subcriterion_is_rejected():
    data = small_dict()
    data["criteria"][1]["subcriteria"][1]["statements"] = []
    problems = _problems(data)
    assert _located(problems, "criteria[1].subcriteria[1].statements") == ["Liste ist leer"]


def test_empty_criterion_is_rejected():
    data = small_dict()
    data["criteria"][1]["subcriteria"] = []
    problems = _problems(data)
    assert _located(problems, "criteria[1].subcriteria") == ["Liste ist leer"]


def test_unknown_scale_value_is_rejected_and_reported_missing():
    data = small_dict()
    data["scale"][5] = {"value": "5", "label": "super", "score": 5}
    problems = _problems(data)
    unknown = _located(problems, "scale[5].value")
    assert unknown and "unbekannter Skalenwert „5“" in unknown[0]
    assert _located(problems, "scale") == ["Skalenwerte fehlen: dk"]


def test_missing_scale_values_are_listed():
    data = small_dict()
    data["scale"] = [o for o in data["scale"] if o["value"] not in ("na", "3")]
    problems = _problems(data)
    assert _located(problems, "scale") == ["Skalenwerte fehlen: 3, na"]


def test_duplicate_scale_value_is_rejected():
    data = small_dict()
    data["scale"].append(dict(data["scale"][0]))
    problems = _problems(data)
    assert any("doppelt" in m for m in _located(problems, "scale[6].value"))


@pytest.mark.parametrize(
    ("index", "score", "expected"),
    [(1, 3, "muss 2 sein"), (4, 0, "muss leer (null) sein"), (5, 1, "muss leer (null) sein"), (3, None, "4")],
)
def test_wrong_score_for_a_value_is_rejected(index, score, expected):
    data = small_dict()
    data["scale"][index]["score"] = score
    problems = _problems(data)
    messages = _located(problems, f"scale[{index}].score")
    assert messages and expected in messages[0]


def test_integer_scale_values_are_accepted():
    data = small_dict()
    for option in data["scale"][:4]:
        option["value"] = int(option["value"])
    q = parse_questionnaire(data)
    assert [o.value for o in q.scale] == list(ANSWER_VALUES)


def test_unknown_top_level_key_is_rejected_but_mappings_allowed():
    data = small_dict()
    data["autor"] = "jemand"
    data["mappings"] = []
    problems = _problems(data)
    assert [str(p) for p in problems] == ["autor: unbekanntes Feld"]


def test_mappings_are_checked_and_map_old_ids_to_this_edition():
    data = small_dict()
    first = data["criteria"][0]["subcriteria"][0]["statements"][0]["id"]
    data["mappings"] = [{"from": "alt-2025", "statements": {"X9.1": first, "X9.2": None, "X9.3": "Q9.9"}}]
    assert [str(p) for p in _problems(data)] == [
        "mappings[0].statements.X9.3: Ziel „Q9.9“ gibt es in dieser Ausgabe nicht"
    ]
    del data["mappings"][0]["statements"]["X9.3"]
    q = parse_questionnaire(data)
    alt = parse_questionnaire({**small_dict(), "edition": "alt-2025"})
    carried = carry_over(alt, q, {"X9.1": "1", "X9.2": "2", first: "3", "X9.4": "4"})
    # X9.2 is dropped on purpose, X9.4 is unknown; the unchanged id matches by id, the mapping wins
    assert carried == {first: "1"}
    assert carry_over(alt, q, {"X9.2": "2", first: "3"}) == {first: "3"}
    data["mappings"] = {"irgendwas": 1}
    assert [str(p) for p in _problems(data)] == ["mappings: muss eine Liste sein, ist Abschnitt"]


@pytest.mark.parametrize(
    ("path", "key", "limit"),
    [
        ((), "title", MAX_TITLE),
        (("criteria", 0, "subcriteria", 0, "statements", 0), "text", 600),
        (("criteria", 1, "subcriteria", 1), "explanation", 3000),
    ],
)
def test_too_long_text_is_rejected_with_limit(path, key, limit):
    data = small_dict()
    parent = data
    for step in path:
        parent = parent[step]
    parent[key] = "x" * (limit + 1)
    location = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path).lstrip(".")
    location = f"{location}.{key}" if location else key
    problems = _problems(data)
    messages = _located(problems, location)
    assert messages == [f"zu lang ({limit + 1} Zeichen, höchstens {limit})"]


def test_text_at_the_limit_is_accepted():
    data = small_dict()
    data["title"] = "x" * MAX_TITLE
    assert parse_questionnaire(data).title == "x" * MAX_TITLE


def test_too_many_statements_in_a_subcriterion():
    data = small_dict()
    data["criteria"][0]["subcriteria"][1]["statements"] = [
        {"id": f"A2.{k}", "text": f"Aussage {k}"} for k in range(1, MAX_STATEMENTS + 2)
    ]
    problems = _problems(data)
    messages = _located(problems, "criteria[0].subcriteria[1].statements")
    assert messages == [f"zu viele Einträge ({MAX_STATEMENTS + 1}, höchstens {MAX_STATEMENTS})"]


def test_too_many_statements_in_total():
    data = small_dict()
    data["criteria"] = [
        {
            "id": "K",
            "title": "Viel",
            "subcriteria": [
                {
                    "id": f"K{j}",
                    "title": f"Teil {j}",
                    "explanation": "e",
                    "example": "b",
                    "statements": [{"id": f"K{j}.{k}", "text": "t"} for k in range(39)],
                }
                for j in range(26)
            ],
        }
    ]
    problems = _problems(data)
    assert [str(p) for p in problems] == ["criteria: zu viele Aussagen insgesamt (1014, höchstens 1000)"]


def test_all_problems_are_reported_at_once():
    data = small_dict()
    del data["title"]
    data["zusatz"] = 1
    data["scale"][2]["score"] = 4
    data["criteria"][0]["subcriteria"][1]["statements"][1]["id"] = "A2.1"
    data["criteria"][1]["subcriteria"][0]["statements"] = []
    data["criteria"][1]["subcriteria"][1]["statements"][0]["text"] = "y" * 601
    problems = _problems(data)
    locations = {p.location for p in problems}
    assert {
        "title",
        "zusatz",
        "scale[2].score",
        "criteria[0].subcriteria[1].statements[1].id",
        "criteria[1].subcriteria[0].statements",
        "criteria[1].subcriteria[1].statements[0].text",
    } <= locations
    assert len(problems) == 6


def test_error_message_joins_all_problems():
    data = small_dict()
    del data["title"]
    data["format"] = 7
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(data)
    assert "title" in str(info.value) and "format" in str(info.value)
    assert isinstance(info.value, ValueError)


# --- raw bytes --------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [b"", b"   \n\t  \r\n", b"\n\n"])
def test_empty_file_is_rejected(raw):
    problems = _load_problems(raw)
    assert "leer" in problems[0].message


def test_binary_file_is_rejected():
    problems = _load_problems(b"format: 1\x00\x01\x02\xff")
    assert "Binärdaten" in problems[0].message


def test_invalid_utf8_is_rejected_with_byte_offset():
    problems = _load_problems(b"format: 1\ntitle: Qualit\xe4t\n")
    assert problems[0].location == "Byte 23"
    assert "UTF-8" in problems[0].message


@pytest.mark.parametrize(
    "raw",
    [
        b"format: 1\ntitle: [nicht geschlossen\n",
        b"format: 1\n  title: x\n bad: [\n",
        b"a: b: c\n",
        b'title: "offen\n',
        b"- a\nb: c\n",
    ],
)
def test_yaml_syntax_error_names_line(raw):
    problems = _load_problems(raw)
    assert "Zeile" in problems[0].location
    assert "YAML" in problems[0].message


@pytest.mark.parametrize(
    ("raw", "location"),
    [
        (b"format: 1\nedition: x\ntitle: a: b\n", "Zeile 3, Spalte 9"),
        (b"format: 1\nedition: x\n\ttitle: x\n", "Zeile 3, Spalte 1"),
    ],
)
def test_yaml_syntax_error_location_is_one_based(raw, location):
    assert _load_problems(raw)[0].location == location


def test_deeply_nested_yaml_is_rejected():
    _load_problems(b"[" * 100_000)


def test_deeply_nested_mappings_are_rejected():
    _load_problems(b"{a: " * 20_000 + b"1" + b"}" * 20_000)


def test_file_above_size_limit_is_rejected():
    raw = _yaml(small_dict()) + b"#" * MAX_FILE_BYTES
    problems = _load_problems(raw)
    assert "zu groß" in problems[0].message


def test_oversized_file_on_disk_is_rejected(tmp_path):
    path = tmp_path / "gross.yaml"
    path.write_bytes(_yaml(small_dict()) + b"# " + b"x" * (MAX_FILE_BYTES + 10))
    problems = check_file(path)
    assert problems and "zu groß" in problems[0].message


def test_alias_bomb_is_rejected():
    bomb = b"""format: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
    problems = _load_problems(bomb)
    assert "Zeile 3" in problems[0].location
    assert "Aliase" in problems[0].message


def test_python_object_tags_are_rejected():
    _load_problems(b"format: !!python/object/apply:os.system ['echo hacked']\n")


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"format: 1\nedition: 2026-02-30\ntitle: x\n", id="impossible-date"),
        pytest.param(b"format: 1\nedition: 2026-13-01\n", id="month-13"),
        pytest.param(b"format: !!int eins\n", id="bad-int-tag"),
        pytest.param(b"format: !!float eins\n", id="bad-float-tag"),
        pytest.param(b"format: !!timestamp gestern\n", id="bad-timestamp-tag"),
        pytest.param(b"format: 1\ntitle: " + b"9" * 5000 + b"\n", id="5000-digit-number"),
    ],
)
def test_yaml_values_that_cannot_be_constructed_give_questionnaire_error(raw):
    _load_problems(raw)


@pytest.mark.parametrize(
    "value",
    [pytest.param([1], id="list"), pytest.param({"a": 1}, id="mapping")],
)
def test_unhashable_scale_value_gives_questionnaire_error(value):
    data = small_dict()
    data["scale"][0]["value"] = value
    problems = _problems(data)
    assert _located(problems, "scale[0].value")


def test_unhashable_scale_value_in_file_gives_questionnaire_error():
    raw = _yaml(small_dict()).replace(b"value: '1'", b"value: [1]", 1)
    assert b"value: [1]" in raw
    _load_problems(raw)


# --- fuzzing: only QuestionnaireError, never another exception --------------------------------

_json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
_KEYS = [
    *TOP_KEYS,
    "value",
    "label",
    "short",
    "score",
    "id",
    "subcriteria",
    "statements",
    "text",
    "explanation",
    "example",
]
_json_like = st.recursive(
    _json_leaf,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=25,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


_SMALL_PATHS = [p for p in _paths(small_dict()) if p]

_FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _parse_or_questionnaire_error(data) -> None:
    try:
        parse_questionnaire(data)
    except QuestionnaireError as exc:
        assert exc.problems
        assert all(p.location or p.message for p in exc.problems)


def _load_or_questionnaire_error(raw: bytes) -> None:
    try:
        load_bytes(raw)
    except QuestionnaireError as exc:
        assert exc.problems


@_FUZZ
@given(st.binary(max_size=2000))
def test_fuzz_arbitrary_bytes(raw):
    _load_or_questionnaire_error(raw)


@_FUZZ
@given(st.text(alphabet="ab01-:.[]{}!&*#'\"|>?,\n \t", max_size=200))
def test_fuzz_yaml_like_text(text):
    _load_or_questionnaire_error(text.encode("utf-8"))


@_FUZZ
@given(_json_like)
def test_fuzz_arbitrary_json_like_data(data):
    _parse_or_questionnaire_error(data)


@_FUZZ
@given(_json_like)
def test_fuzz_arbitrary_json_like_data_as_file(data):
    _load_or_questionnaire_error(json.dumps(data).encode("utf-8"))


@_FUZZ
@given(st.sampled_from(_SMALL_PATHS), _json_like)
def test_fuzz_valid_questionnaire_with_one_part_replaced(path, replacement):
    data = small_dict()
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = replacement
    _parse_or_questionnaire_error(data)


# --- command line -----------------------------------------------------------------------------

_BROKEN = b"""format: 2
edition: x
title: [kein, text]
scale: []
criteria: []
"""


def test_cli_check_default_file_succeeds(default_file, capsys):
    assert cli_main(["questionnaire", "check", str(default_file)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == f"{default_file}: in Ordnung"


def test_cli_check_broken_file_prints_one_line_per_problem(tmp_path, capsys):
    bad = tmp_path / "kaputt.yaml"
    bad.write_bytes(_BROKEN)
    assert cli_main(["questionnaire", "check", str(bad)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    expected = [str(p) for p in check_file(bad)]
    assert len(expected) == 4
    assert lines == [f"{bad}: {p}" for p in expected]
    assert any("format" in line for line in lines)
    assert any("title" in line for line in lines)


def test_cli_check_yaml_syntax_error(tmp_path, capsys):
    bad = tmp_path / "syntax.yaml"
    bad.write_bytes(b"format: 1\ntitle: [offen\n")
    assert cli_main(["questionnaire", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "Zeile" in out


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mintqo", "questionnaire", "check", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_cli_subprocess_broken_file_exits_1_without_traceback(tmp_path):
    bad = tmp_path / "kaputt.yaml"
    bad.write_bytes(_BROKEN)
    proc = _run_cli(str(bad))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    assert len(proc.stdout.strip().splitlines()) == 4


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"format: 1\nscale:\n  - {value: [1], label: x, score: 1}\n", id="list-scale-value"),
        pytest.param(b"format: 1\nedition: 2026-02-30\n", id="impossible-date"),
    ],
)
def test_cli_subprocess_reports_problem_with_exit_1(tmp_path, content):
    bad = tmp_path / "kaputt.yaml"
    bad.write_bytes(content)
    proc = _run_cli(str(bad))
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{bad}: ")
