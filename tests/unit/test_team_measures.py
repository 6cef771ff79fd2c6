"""Team rating and measures, pure domain: divergence, the fallback rule, counting answers, validation."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict

from mintqo.domain.measures import MAX_NOTE, MAX_WHAT, MAX_WHO, STATUSES, MeasureSpec, validate_measure
from mintqo.domain.questionnaire import ANSWER_VALUES, DONT_KNOW, NOT_APPLICABLE
from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.domain.team import (
    MAX_NAME,
    RULE_TEXT,
    divergent,
    effective_answers,
    fallback_value,
    team_statements,
    validate_name,
)

Q = parse_questionnaire(small_dict())
STATEMENT_IDS = [s.id for s in Q.statements()]
SCORES = ("1", "2", "3", "4")

values_lists = st.lists(st.sampled_from(ANSWER_VALUES), max_size=8)
rater_answers = st.dictionaries(st.sampled_from(STATEMENT_IDS), st.sampled_from(ANSWER_VALUES))


def _reference_fallback(values: list[str]) -> str | None:
    """The documented rule, written out independently: lower median of 1–4, else dk, else na."""
    scores = sorted(int(v) for v in values if v in SCORES)
    if scores:
        return str(scores[(len(scores) - 1) // 2])
    if DONT_KNOW in values:
        return DONT_KNOW
    if NOT_APPLICABLE in values:
        return NOT_APPLICABLE
    return None


# --- divergent ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "3"], True),  # two steps apart
        (["4", "2", "3"], True),
        (["1", "4"], True),
        (["2", "3"], False),  # one step apart
        (["3", "4", "4", "3"], False),
        (["3", "3"], False),
        (["3", "dk"], True),  # "weiß nicht" next to a rating
        (["dk", "1", "1"], True),
        (["3", "na"], False),  # "nicht zutreffend" is no reason to discuss by itself
        (["na", "dk"], False),  # only na/dk: nothing rated
        (["dk", "dk"], False),
        (["na", "na"], False),
        (["dk"], False),
        (["4"], False),  # a single rating never diverges
        ([], False),
    ],
)
def test_divergent(values, expected):
    assert divergent(values) is expected


@given(values_lists)
def test_divergent_matches_its_definition(values):
    scores = [int(v) for v in values if v in SCORES]
    spread = len(scores) >= 2 and max(scores) - min(scores) >= 2
    assert divergent(values) == (spread or (bool(scores) and DONT_KNOW in values))


@given(values_lists)
def test_divergent_does_not_depend_on_order(values):
    assert divergent(values) == divergent(list(reversed(values)))


# --- fallback_value ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["3"], "3"),
        (["1", "4"], "1"),  # even count: the lower of the two middle values
        (["2", "3"], "2"),
        (["4", "1", "3"], "3"),
        (["4", "4", "1", "2"], "2"),
        (["1", "2", "3", "4", "4"], "3"),
        (["4", "dk"], "4"),  # a rating beats "weiß nicht" …
        (["na", "2", "dk", "4"], "2"),  # … and "nicht zutreffend"; they do not count in the median
        (["dk"], "dk"),
        (["na"], "na"),
        (["na", "dk"], "dk"),  # "weiß nicht" before "nicht zutreffend"
        (["dk", "na", "na"], "dk"),
        ([], None),
    ],
)
def test_fallback_value(values, expected):
    assert fallback_value(values) == expected


@given(values_lists)
def test_fallback_value_matches_the_reference_rule(values):
    assert fallback_value(values) == _reference_fallback(values)


@given(st.lists(st.sampled_from(SCORES), min_size=1, max_size=9))
def test_fallback_value_is_one_of_the_ratings_and_order_free(scores):
    result = fallback_value(scores)
    assert result in scores
    assert result == fallback_value(sorted(scores, reverse=True))
    below = sum(1 for s in scores if s < result)
    assert below <= (len(scores) - 1) // 2 < below + scores.count(result)


def test_rule_text_states_the_rule_in_plain_words():
    for part in ("vereinbart, zählt dieser", "die niedrigere", "aus 2 und 4 wird 2", "geht „weiß nicht“ vor"):
        assert part in RULE_TEXT
    assert fallback_value(["2", "4"]) == "2" and fallback_value(["2", "3", "4"]) == "3"  # the examples hold
    for jargon in ("Median", "Quartil", "Mittelwert"):
        assert jargon not in RULE_TEXT


# --- team_statements and effective_answers -----------------------------------------------------------


def test_agreed_value_wins_over_the_fallback():
    ratings = {1: {"A1.1": "1", "A1.2": "4", "B1.1": "2"}, 2: {"A1.1": "4", "A1.2": "4", "B1.1": "dk"}}
    agreed = {"A1.1": ("3", "Nach Rücksprache"), "A2.1": ("na", "")}
    counting = effective_answers(Q, ratings, agreed)
    assert counting == {"A1.1": "3", "A1.2": "4", "A2.1": "na", "B1.1": "2"}


def test_team_statements_keep_questionnaire_order_and_flag_divergence():
    ratings = {1: {"B2.3": "1", "A1.1": "2"}, 2: {"B2.3": "3", "A1.1": "3"}}
    rows = team_statements(Q, ratings, {"B2.3": ("2", "Kompromiss")})
    assert [r.statement_id for r in rows] == STATEMENT_IDS
    by_id = {r.statement_id: r for r in rows}
    b23 = by_id["B2.3"]
    assert dict(b23.by_rater) == {1: "1", 2: "3"}
    assert (b23.agreed, b23.reason, b23.counts, b23.divergent) == ("2", "Kompromiss", "2", True)
    a11 = by_id["A1.1"]
    assert (a11.agreed, a11.reason, a11.counts, a11.divergent) == (None, "", "2", False)
    a12 = by_id["A1.2"]
    assert (dict(a12.by_rater), a12.counts, a12.divergent) == ({}, None, False)


def test_statements_nobody_answered_are_left_out():
    assert effective_answers(Q, {}, {}) == {}
    assert effective_answers(Q, {1: {}, 2: {}}, {}) == {}
    assert effective_answers(Q, {1: {"A1.1": "dk"}}, {}) == {"A1.1": "dk"}


@given(rater_answers)
def test_a_single_rater_counts_exactly_as_before(answers):
    assert effective_answers(Q, {7: answers}, {}) == answers


@given(rater_answers, st.dictionaries(st.sampled_from(STATEMENT_IDS), st.sampled_from(ANSWER_VALUES)))
def test_a_single_rater_with_agreed_values(answers, agreed_values):
    agreed = {sid: (value, "") for sid, value in agreed_values.items()}
    assert effective_answers(Q, {1: answers}, agreed) == {**answers, **agreed_values}


@settings(max_examples=60)
@given(
    st.dictionaries(st.integers(1, 50), rater_answers, max_size=4),
    st.dictionaries(st.sampled_from(STATEMENT_IDS), st.sampled_from(ANSWER_VALUES)),
)
def test_counting_answers_are_agreed_else_the_fallback(ratings, agreed_values):
    agreed = {sid: (value, "Grund") for sid, value in agreed_values.items()}
    counting = effective_answers(Q, ratings, agreed)
    for sid in STATEMENT_IDS:
        given_values = [answers[sid] for answers in ratings.values() if sid in answers]
        expected = agreed_values.get(sid) or _reference_fallback(given_values)
        assert counting.get(sid) == expected, sid
    assert set(counting) <= set(STATEMENT_IDS)


# --- validate_name -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Alex", "Alex"),
        ("  Bea  ", "Bea"),
        ("Jo", "Jo"),
        ("Anna  Maria\tSchmidt", "Anna Maria Schmidt"),
        ("Lü\x00tfi", "Lütfi"),
        ("x" * MAX_NAME, "x" * MAX_NAME),
    ],
)
def test_valid_names_are_cleaned(raw, expected):
    assert validate_name(raw) == (expected, None)


@pytest.mark.parametrize("raw", [None, "", "   ", "A", " B ", "\x00\x01"])
def test_too_short_names_get_a_german_message(raw):
    name, error = validate_name(raw)
    assert name is None
    assert error == "Bitte geben Sie Ihren Vornamen oder ein Kürzel an (mindestens 2 Zeichen)."


def test_too_long_names_get_a_german_message():
    name, error = validate_name("x" * (MAX_NAME + 1))
    assert name is None
    assert error == f"Der Name darf höchstens {MAX_NAME} Zeichen haben."
    assert MAX_NAME == 40


# --- validate_measure --------------------------------------------------------------------------------


def test_valid_measure_is_cleaned():
    spec, errors = validate_measure(
        "C3",
        "  Vorher-Nachher-\n Fragebogen  ",
        "  Frau  Yilmaz ",
        date(2027, 3, 1),
        "begonnen",
        "  Zeile 1\n\nZeile 2  ",
    )
    assert errors == {}
    assert spec == MeasureSpec(
        "C3", "Vorher-Nachher- Fragebogen", "Frau Yilmaz", date(2027, 3, 1), "begonnen", "Zeile 1\n\nZeile 2"
    )


def test_minimal_measure_uses_the_defaults():
    spec, errors = validate_measure("A1", "Elternabend")
    assert errors == {}
    assert spec == MeasureSpec("A1", "Elternabend", "", None, "geplant", "")
    assert STATUSES == ("geplant", "begonnen", "umgesetzt", "verworfen")


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_is_accepted(status):
    spec, errors = validate_measure("A1", "Elternabend", status=status)
    assert errors == {} and spec is not None and spec.status == status


def test_every_field_gets_its_german_message():
    spec, errors = validate_measure(
        None, "x" * (MAX_WHAT + 1), "y" * (MAX_WHO + 1), None, "erledigt", "z" * (MAX_NOTE + 1)
    )
    assert spec is None
    assert errors == {
        "subcriterion": "Bitte wählen Sie das Unterkriterium, zu dem die Maßnahme gehört.",
        "what": f"Die Beschreibung darf höchstens {MAX_WHAT} Zeichen haben.",
        "who": f"„Wer“ darf höchstens {MAX_WHO} Zeichen haben.",
        "note": f"Die Notiz darf höchstens {MAX_NOTE} Zeichen haben.",
        "status": "Bitte wählen Sie einen Status: geplant, begonnen, umgesetzt oder verworfen.",
    }


@pytest.mark.parametrize("what", [None, "", "   ", "ab", " a\n ", "\x00ab"])
def test_missing_or_too_short_what_is_refused(what):
    spec, errors = validate_measure("A1", what)
    assert spec is None
    assert errors == {"what": "Bitte beschreiben Sie kurz, was Sie tun wollen (mindestens 3 Zeichen)."}


@pytest.mark.parametrize("status", [None, "", "Geplant", "done"])
def test_unknown_status_is_refused(status):
    spec, errors = validate_measure("A1", "Elternabend", status=status)
    assert spec is None and set(errors) == {"status"}


def test_limits_are_inclusive():
    spec, errors = validate_measure("A1", "w" * MAX_WHAT, "v" * MAX_WHO, None, "geplant", "n" * MAX_NOTE)
    assert errors == {} and spec is not None
    assert (len(spec.what), len(spec.who), len(spec.note)) == (MAX_WHAT, MAX_WHO, MAX_NOTE)
