"""Benchmark statistics: quartiles against a reference, score bins, contributions, additive histograms."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict

from mintqo.domain.histograms import (
    NONE,
    OPEN,
    STATEMENT_BINS,
    AxisStat,
    axis_stat,
    contribution,
    criterion_item,
    dont_know_item,
    dont_know_total,
    histograms_of,
    members,
    merge,
    quantile,
    score_bin,
    scored_values,
    statement_distribution,
    statement_item,
    sub_item,
)
from mintqo.domain.questionnaire import ANSWER_VALUES
from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.domain.scoring import Band, band_of, format_score, round_score, score_analysis

# Function-scoped fixtures do not mix with @given, so the property tests use a module-level copy.
SMALL = parse_questionnaire(small_dict())

_PROPS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

SCORE_BINS = [str(v) for v in range(10, 41)]


def _expand(hist) -> list[float]:
    """The sorted list of scores a histogram stands for, "none" left out."""
    return sorted(int(b) / 10 for b, c in hist.items() if b != NONE for _ in range(c))


def _reference(hist) -> tuple[float, float, float]:
    """(q1, median, q3) computed by the standard library on the expanded data."""
    data = _expand(hist)
    if len(data) == 1:  # statistics.quantiles needs two points; one value is every quantile
        return data[0], data[0], data[0]
    q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive")
    return q1, statistics.median(data), q3


def _stat_tuple(stat: AxisStat) -> tuple[float | None, float | None, float | None]:
    return stat.q1, stat.median, stat.q3


# --- quantile and axis_stat against the standard library -----------------------------------------


@pytest.mark.parametrize(
    ("hist", "expected"),
    [
        ({"30": 1}, (3.0, 3.0, 3.0)),  # n = 1
        ({"20": 1, "30": 1}, (2.25, 2.5, 2.75)),  # n = 2
        ({"10": 1, "20": 1, "40": 1}, (1.5, 2.0, 3.0)),  # n = 3
        ({"25": 7}, (2.5, 2.5, 2.5)),  # all equal
        ({"10": 1, "40": 1, NONE: 5}, (1.75, 2.5, 3.25)),  # "none" is not a score
        ({"10": 2, "20": 2}, (1.0, 1.5, 2.0)),  # ties at both quartiles
        ({"10": 1, "20": 1, "30": 1, "40": 1}, (1.75, 2.5, 3.25)),
        ({"31": 3, "35": 1, "40": 1}, (3.1, 3.1, 3.5)),
    ],
)
def test_axis_stat_matches_hand_computed_quartiles(hist, expected):
    stat = axis_stat("u:A1", hist)
    assert _stat_tuple(stat) == pytest.approx(expected, abs=1e-9)
    assert _stat_tuple(stat) == pytest.approx(_reference(hist), abs=1e-9)
    assert stat.n == sum(c for b, c in hist.items() if b != NONE)
    assert stat.item == "u:A1"


@pytest.mark.parametrize("hist", [{}, {NONE: 4}, {"20": 0, NONE: 2}])
def test_axis_stat_without_any_score_has_no_values(hist):
    assert axis_stat("c:A", hist) == AxisStat("c:A", 0, None, None, None)


def test_quantile_of_empty_pairs_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        quantile([], 0.5)


def test_scored_values_sorts_by_score_not_by_insertion_or_string_order():
    # "4" > "10" as strings; the scale must be numeric, zero counts and "none" dropped.
    assert scored_values({"40": 2, NONE: 3, "10": 1, "25": 0, "9": 1}) == [(0.9, 1), (1.0, 1), (4.0, 2)]


_histograms = st.dictionaries(
    st.sampled_from([*SCORE_BINS, NONE]), st.integers(min_value=0, max_value=6), max_size=12
)


@_PROPS
@given(_histograms)
def test_axis_stat_property_matches_statistics_module(hist):
    stat = axis_stat("u:X", hist)
    n = sum(c for b, c in hist.items() if b != NONE)
    assert stat.n == n
    if n == 0:
        assert _stat_tuple(stat) == (None, None, None)
        return
    assert _stat_tuple(stat) == pytest.approx(_reference(hist), abs=1e-9)
    data = _expand(hist)
    assert data[0] <= stat.q1 <= stat.median <= stat.q3 <= data[-1]
    # quantile() on the pairs agrees with the stat at arbitrary q, including the extremes.
    pairs = scored_values(hist)
    assert quantile(pairs, 0.0) == data[0]
    assert quantile(pairs, 1.0) == data[-1]


# --- score bins agree with the displayed rounding ------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "expected"),
    [
        (1.0, "10"),
        (1.95, "20"),
        (2.95, "30"),
        (2.949999, "29"),
        (3.0, "30"),
        (4.0, "40"),
        (2.25, "23"),  # half up, not banker's rounding (round(2.25, 1) == 2.2)
        (1.05, "11"),
        (2.675, "27"),  # float 2.675 is just below 2.675; the displayed score still says 2,7
        (None, NONE),
    ],
)
def test_score_bin_at_band_edges(mean, expected):
    assert score_bin(mean) == expected
    if mean is not None:
        assert int(score_bin(mean)) / 10 == round_score(mean)


def _band_of_bin(b: str) -> Band:
    v = int(b)
    if v >= 30:
        return Band.SOLID if v < 33 else Band.STRENGTH
    return Band.DEVELOPMENT if v < 20 else Band.EXPANDABLE


@_PROPS
@given(st.integers(min_value=1, max_value=12).flatmap(lambda q: st.tuples(st.integers(q, 4 * q), st.just(q))))
def test_score_bin_agrees_with_display_and_band_for_every_reachable_mean(frac):
    # Every sub-criterion mean is p/q with q statements; a criterion mean is a mean of such means.
    p, q = frac
    mean = p / q
    b = score_bin(mean)
    assert b in SCORE_BINS
    assert format_score(int(b) / 10) == format_score(mean)
    assert _band_of_bin(b) is band_of(mean)


# --- contribution: exactly one bin for every item ------------------------------------------------


def _expected_keys(q) -> set[str]:
    keys = {statement_item(st.id) for st in q.statements()}
    keys |= {sub_item(s.id) for s in q.subcriteria}
    keys |= {dont_know_item(s.id) for s in q.subcriteria}
    keys |= {criterion_item(c.id) for c in q.criteria}
    return keys


def test_contribution_of_an_empty_analysis(small_q):
    contrib = contribution(small_q, {})
    assert set(contrib) == _expected_keys(small_q)
    assert len(contrib) == 10 + 4 + 4 + 2
    for st_ in small_q.statements():
        assert contrib[statement_item(st_.id)] == OPEN
    for sub in small_q.subcriteria:
        assert contrib[sub_item(sub.id)] == NONE
        assert contrib[dont_know_item(sub.id)] == "0"
    assert contrib["c:A"] == contrib["c:B"] == NONE


def test_contribution_never_scores_not_applicable_or_dont_know(small_q):
    answers = {
        "A1.1": "na",
        "A1.2": "dk",
        "A1.3": "na",  # A1: only non-scoring answers
        "A2.1": "4",
        "A2.2": "3",
        "B1.1": "1",
        "B1.2": "2",
        "B2.1": "dk",
        "B2.2": "dk",
        "B2.3": "4",
    }
    contrib = contribution(small_q, answers)
    assert contrib["u:A1"] == NONE
    assert contrib["d:A1"] == "1"
    assert contrib["u:A2"] == "35"
    assert contrib["c:A"] == "35"  # the criterion rests on A2 alone, A1 does not count as 0
    assert contrib["u:B1"] == "15"
    assert contrib["u:B2"] == "40"
    assert contrib["d:B2"] == "2"
    assert contrib["c:B"] == "28"  # (1.5 + 4.0) / 2 = 2.75, half up
    assert contrib["s:A1.2"] == "dk"
    assert contrib["s:B2.3"] == "4"


def test_criterion_bin_uses_unrounded_sub_means(small_q):
    # A1 = 5/3 (shown 1,7), A2 = 3.0 → criterion (5/3 + 3) / 2 = 2.333… → 2,3;
    # averaging the rounded means would give 2.35 → 2,4.
    answers = {"A1.1": "1", "A1.2": "2", "A1.3": "2", "A2.1": "3", "A2.2": "3"}
    contrib = contribution(small_q, answers)
    assert contrib["u:A1"] == "17"
    assert contrib["c:A"] == "23"
    crit = next(c for c in score_analysis(small_q, answers).criteria if c.id == "A")
    assert contrib["c:A"] == score_bin(crit.mean)


def test_contribution_covers_the_default_questionnaire(questionnaire):
    answers = {st.id: "3" for st in questionnaire.statements()}
    contrib = contribution(questionnaire, answers)
    assert set(contrib) == _expected_keys(questionnaire)
    assert len(contrib) == 60 + 15 + 15 + 3
    assert {contrib[sub_item(s.id)] for s in questionnaire.subcriteria} == {"30"}
    assert {contrib[criterion_item(c.id)] for c in questionnaire.criteria} == {"30"}


_statement_ids = [st_.id for st_ in SMALL.statements()]
_answers = st.dictionaries(st.sampled_from(_statement_ids), st.sampled_from(ANSWER_VALUES))


@_PROPS
@given(_answers)
def test_contribution_property_one_valid_bin_per_item(answers):
    contrib = contribution(SMALL, answers)
    assert set(contrib) == _expected_keys(SMALL)
    for st_ in SMALL.statements():
        assert contrib[statement_item(st_.id)] == answers.get(st_.id, OPEN)
        assert contrib[statement_item(st_.id)] in STATEMENT_BINS
    sub_means = {}
    for sub in SMALL.subcriteria:
        values = [answers.get(s.id) for s in sub.statements]
        digits = [int(v) for v in values if v in ("1", "2", "3", "4")]
        sub_means[sub.id] = sum(digits) / len(digits) if digits else None
        b = contrib[sub_item(sub.id)]
        assert b in (*SCORE_BINS, NONE)
        assert b == (NONE if not digits else score_bin(sub_means[sub.id]))
        assert contrib[dont_know_item(sub.id)] == str(values.count("dk"))
    for crit in SMALL.criteria:
        means = [sub_means[s.id] for s in crit.subcriteria if sub_means[s.id] is not None]
        expected = score_bin(sum(means) / len(means)) if means else NONE
        assert contrib[criterion_item(crit.id)] == expected
    # "na" / "dk" only ever show up as statement answers, never as score bins.
    assert not any(v in ("na", "dk") for k, v in contrib.items() if not k.startswith("s:"))


# --- histograms are additive ---------------------------------------------------------------------


def test_histograms_of_counts_every_analysis_once_per_item(small_q):
    contribs = [
        contribution(small_q, {"A1.1": "4", "A1.2": "4", "A1.3": "4"}),
        contribution(small_q, {"A1.1": "1", "A1.2": "na"}),
        contribution(small_q, {}),
    ]
    hists = histograms_of(contribs)
    assert set(hists) == _expected_keys(small_q)
    assert all(sum(h.values()) == 3 for h in hists.values())
    assert hists["u:A1"] == Counter({"40": 1, "10": 1, NONE: 1})
    assert hists["s:A1.2"] == Counter({"4": 1, "na": 1, OPEN: 1})
    assert members(hists) == 3


def test_members_of_nothing_is_zero():
    assert members({}) == 0
    assert members(histograms_of([])) == 0
    assert merge([]) == {}


def test_merge_accepts_plain_dicts_from_storage():
    a = {"u:A1": {"30": 2, NONE: 1}, "d:A1": {"0": 3}}
    b = {"u:A1": {"30": 1, "10": 1}, "d:A1": {"2": 2}}
    total = merge([a, b])
    assert total == {"u:A1": Counter({"30": 3, "10": 1, NONE: 1}), "d:A1": Counter({"0": 3, "2": 2})}
    assert members(total) == 5
    assert dont_know_total(total["d:A1"]) == 4
    # The inputs are not modified.
    assert a == {"u:A1": {"30": 2, NONE: 1}, "d:A1": {"0": 3}}


def test_statement_distribution_lists_every_answer_value_in_display_order():
    dist = statement_distribution({"4": 2, OPEN: 1, "na": 3})
    assert list(dist) == ["1", "2", "3", "4", "na", "dk", OPEN]
    assert dist == {"1": 0, "2": 0, "3": 0, "4": 2, "na": 3, "dk": 0, OPEN: 1}


@_PROPS
@given(st.lists(_answers, max_size=8), st.lists(_answers, max_size=8))
def test_merge_of_two_groups_equals_histograms_of_the_union(group_a, group_b):
    ca = [contribution(SMALL, a) for a in group_a]
    cb = [contribution(SMALL, b) for b in group_b]
    ha, hb = histograms_of(ca), histograms_of(cb)
    union = histograms_of(ca + cb)
    merged = merge([ha, hb])
    assert merged == union
    assert merge([hb, ha]) == union
    assert members(merged) == len(group_a) + len(group_b)
    assert members(ha) == len(group_a)
    for item, hist in union.items():
        assert sum(hist.values()) == len(group_a) + len(group_b), item
    # The statistics of the merged figure are those of the union, whatever the grouping.
    for sub in SMALL.subcriteria:
        item = sub_item(sub.id)
        assert axis_stat(item, merged.get(item, {})) == axis_stat(item, union.get(item, {}))
