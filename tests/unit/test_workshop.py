"""Workshop groups: set-up validation, the region key, the slide order and the discussion agenda."""

from __future__ import annotations

from datetime import date

import pytest

from mintqo.domain import anonymity
from mintqo.domain.anonymity import Withheld
from mintqo.domain.histograms import AxisStat, contribution, histograms_of, members, sub_item
from mintqo.domain.workshop import MAX_K, GroupSpec, agenda, region_key, slides, validate_group

NAME_MSG = "Bitte geben Sie der Workshopgruppe einen Namen (mindestens 2 Zeichen)."
REGION_MSG = "Bitte geben Sie die Region an – sie bestimmt den Regionalvergleich."
K_MSG = f"Die Anonymitätsschwelle muss zwischen 3 und {MAX_K} liegen."

D1, D2, D3 = date(2026, 3, 2), date(2026, 4, 20), date(2026, 6, 8)


# --- validate_group -------------------------------------------------------------------------------


def test_valid_group_is_cleaned_and_join_code_runs_until_part_two():
    spec, errors = validate_group("  MINT-Region\tNord ", " Kiel  und Umgebung", D1, D2, D3, k=4)
    assert errors == {}
    assert spec == GroupSpec("MINT-Region Nord", "Kiel und Umgebung", D1, D2, D3, 4)
    assert spec.join_until == D2


def test_valid_group_without_dates_uses_the_default_threshold():
    spec, errors = validate_group("Gruppe", "Nord")
    assert errors == {}
    assert spec.k == anonymity.DEFAULT_K == 3
    assert spec.join_until is None
    assert (spec.part1, spec.part2, spec.part3) == (None, None, None)


@pytest.mark.parametrize("name", [None, "", "   ", "A", " A\n"])
def test_missing_or_short_name(name):
    spec, errors = validate_group(name, "Nord")
    assert spec is None
    assert errors == {"name": NAME_MSG}


def test_too_long_name_and_region():
    spec, errors = validate_group("x" * 121, "y" * 81)
    assert spec is None
    assert errors == {
        "name": "Der Name der Workshopgruppe darf höchstens 120 Zeichen haben.",
        "region": "Die Region darf höchstens 80 Zeichen haben.",
    }
    assert validate_group("x" * 120, "y" * 80)[1] == {}


@pytest.mark.parametrize("region", [None, "", "  ", "N"])
def test_missing_region(region):
    spec, errors = validate_group("Gruppe", region)
    assert spec is None
    assert errors == {"region": REGION_MSG}


@pytest.mark.parametrize("k", [2, 0, -3, None, MAX_K + 1, 3.0, "5", True])
def test_invalid_threshold(k):
    spec, errors = validate_group("Gruppe", "Nord", k=k)
    assert spec is None
    assert errors == {"k": K_MSG}


@pytest.mark.parametrize("k", [3, 7, MAX_K])
def test_threshold_bounds_are_inclusive(k):
    spec, errors = validate_group("Gruppe", "Nord", k=k)
    assert errors == {}
    assert spec.k == k


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ((D2, D1, None), "Teil 2 kann nicht vor Teil 1 liegen."),
        ((D1, D3, D2), "Teil 3 kann nicht vor Teil 2 liegen."),
        ((D3, None, D1), "Teil 3 kann nicht vor Teil 1 liegen."),
        ((None, D3, D1), "Teil 3 kann nicht vor Teil 2 liegen."),
    ],
)
def test_part_dates_out_of_order(parts, message):
    spec, errors = validate_group("Gruppe", "Nord", *parts)
    assert spec is None
    assert errors == {"dates": message}


def test_same_day_parts_are_allowed():
    spec, errors = validate_group("Gruppe", "Nord", D1, D1, D1)
    assert errors == {}
    assert spec.join_until == D1


def test_every_problem_is_reported_at_once():
    spec, errors = validate_group("", None, D2, D1, None, k=1)
    assert spec is None
    assert errors == {
        "name": NAME_MSG,
        "region": REGION_MSG,
        "k": K_MSG,
        "dates": "Teil 2 kann nicht vor Teil 1 liegen.",
    }


# --- region_key -----------------------------------------------------------------------------------


def test_region_key_ignores_case_and_spacing():
    assert region_key("  Kiel   und\tUmgebung ") == region_key("kiel und umgebung") == "kiel und umgebung"
    assert region_key("Straße") == region_key("STRASSE")  # casefold, not just lower()
    assert region_key("Nord") != region_key("Nordost")
    assert region_key(None) == ""


# --- slides ---------------------------------------------------------------------------------------


def test_slides_of_the_default_questionnaire(questionnaire):
    deck = slides(questionnaire)
    assert len(deck) == 20
    assert deck[0].kind == "overview"
    assert deck[-1].kind == "agenda"
    assert [s.kind for s in deck[1:-1]].count("criterion") == len(questionnaire.criteria) == 3
    # Each main criterion is followed by exactly its own sub-criteria, in walkthrough order.
    expected = []
    for crit in questionnaire.criteria:
        expected.append(("criterion", crit.id, f"{crit.id} {crit.title}"))
        expected += [("sub", sub.id, sub.label) for sub in crit.subcriteria]
    assert [(s.kind, s.ref, s.title) for s in deck[1:-1]] == expected
    assert [s.ref for s in deck if s.kind == "sub"] == [s.id for s in questionnaire.subcriteria]


def test_slides_of_the_small_questionnaire(small_q):
    assert [(s.kind, s.ref) for s in slides(small_q)] == [
        ("overview", ""),
        ("criterion", "A"),
        ("sub", "A1"),
        ("sub", "A2"),
        ("criterion", "B"),
        ("sub", "B1"),
        ("sub", "B2"),
        ("agenda", ""),
    ]


# --- agenda ---------------------------------------------------------------------------------------


def _picture(q, answer_sets, k=3):
    hists = histograms_of([contribution(q, a) for a in answer_sets])
    return anonymity.picture(q, "Gruppe", hists, members(hists), k)


def _all(q, value):
    return {st.id: value for st in q.statements()}


def _refs(entries):
    return [(e.subcriterion.id, e.figure) for e in entries]


# Five analyses of the small questionnaire (A1: 3 statements, A2: 2, B1: 2, B2: 3): with k = 3
# every figure needs gate(3) = 5 ratings, so five analyses are the fewest that show anything.
_FIVE = [
    {"A1.1": "1", "A1.2": "1", "A1.3": "1", "A2.1": "2", "A2.2": "2", "B1.1": "4", "B1.2": "4"}
    | {"B2.1": "3", "B2.2": "3", "B2.3": "3"},
    {"A1.1": "1", "A1.2": "1", "A1.3": "1", "A2.1": "2", "A2.2": "2", "B1.1": "2", "B1.2": "2"}
    | {"B2.1": "3", "B2.2": "3", "B2.3": "dk"},
    {"A1.1": "1", "A1.2": "1", "A1.3": "1", "A2.1": "2", "A2.2": "2", "B1.1": "1", "B1.2": "1"}
    | {"B2.1": "dk", "B2.2": "dk", "B2.3": "3"},
    {"A1.1": "1", "A1.2": "1", "A1.3": "1", "A2.1": "2", "A2.2": "2", "B1.1": "2", "B1.2": "2"}
    | {"B2.1": "3", "B2.2": "3", "B2.3": "3"},
    {"A1.1": "1", "A1.2": "1", "A1.3": "1", "A2.1": "2", "A2.2": "2", "B1.1": "3", "B1.2": "3"}
    | {"B2.1": "3", "B2.2": "3", "B2.3": "3"},
]


def test_agenda_lists_lowest_widest_and_dont_know(small_q):
    result = agenda(small_q, _picture(small_q, _FIVE))
    # B1 = [4, 2, 1, 2, 3] has median 2,0 like A2; the tie keeps questionnaire order (A2 before B1).
    assert _refs(result.lowest) == [("A1", "Median 1,0"), ("A2", "Median 2,0"), ("B1", "Median 2,0")]
    # Only B1 varies; axes with IQR 0 are not "wide".
    assert _refs(result.widest) == [("B1", "mittlere 50 %: 2,0 bis 3,0")]
    assert _refs(result.dont_know) == [("B2", "3× „weiß nicht“")]
    assert not result.empty


def test_agenda_size_limits_each_list(small_q):
    result = agenda(small_q, _picture(small_q, _FIVE), size=1)
    assert _refs(result.lowest) == [("A1", "Median 1,0")]
    assert len(result.widest) == 1
    assert len(result.dont_know) == 1


def test_agenda_ties_keep_questionnaire_order(small_q):
    # Every sub-criterion has median 2,0 and the same spread, every one has one "weiß nicht".
    rows = [
        {"A1.1": "2", "A1.2": "2", "A1.3": "dk", "A2.1": "2", "A2.2": "dk"}
        | {"B1.1": "2", "B1.2": "dk", "B2.1": "2", "B2.2": "2", "B2.3": "dk"},
        _all(small_q, "3"),
        _all(small_q, "2"),
        _all(small_q, "3"),
        _all(small_q, "2"),
    ]
    result = agenda(small_q, _picture(small_q, rows), size=4)
    order = ["A1", "A2", "B1", "B2"]
    assert [e.subcriterion.id for e in result.lowest] == order
    assert [e.subcriterion.id for e in result.widest] == order
    assert [e.subcriterion.id for e in result.dont_know] == order
    assert {e.figure for e in result.lowest} == {"Median 2,0"}


def test_withheld_axes_never_reach_the_score_lists(small_q):
    # A1 is rated by only one analysis (the others say "nicht zutreffend"), so with k = 3 its
    # axis is withheld – even though its single 1,0 would be the lowest median by far.
    rows = [_all(small_q, v) for v in ("4", "3", "2", "3", "2")]
    rows[0] |= {"A1.1": "1", "A1.2": "1", "A1.3": "1"}
    for row in rows[1:]:
        row |= {"A1.1": "na", "A1.2": "na", "A1.3": "na"}
    pic = _picture(small_q, rows)
    assert pic.axis(sub_item("A1")) == Withheld(0, 3)  # the count it rests on is not kept
    result = agenda(small_q, pic, size=4)
    listed = {e.subcriterion.id for e in result.lowest + result.widest}
    assert "A1" not in listed
    assert [e.subcriterion.id for e in result.lowest] == ["A2", "B1", "B2"]
    for entry in result.lowest:
        assert isinstance(pic.axis(sub_item(entry.subcriterion.id)), AxisStat)


@pytest.mark.parametrize(("raters", "shown"), [(4, False), (5, True)])
def test_an_axis_needs_two_k_minus_one_ratings(small_q, raters, shown):
    # Six analyses; A1 is rated by `raters` of them, the rest say "nicht zutreffend".
    rows = [_all(small_q, "2") for _ in range(6)]
    for row in rows[raters:]:
        row |= {"A1.1": "na", "A1.2": "na", "A1.3": "na"}
    pic = _picture(small_q, rows)
    assert isinstance(pic.axis(sub_item("A1")), AxisStat) is shown
    assert isinstance(pic.axis(sub_item("A2")), AxisStat)
    listed = [e.subcriterion.id for e in agenda(small_q, pic, size=4).lowest]
    assert ("A1" in listed) is shown


def test_dont_know_counts_rest_on_the_whole_group(small_q):
    # A sub-criterion nobody could rate has no drawable axis, but the group-wide count of
    # "weiß nicht" (over all ≥ 2k − 1 analyses) is exactly what the agenda should bring up.
    rows = [_all(small_q, "3") | {"B1.1": "dk", "B1.2": "dk"} for _ in range(5)]
    pic = _picture(small_q, rows)
    assert isinstance(pic.axis(sub_item("B1")), Withheld)
    result = agenda(small_q, pic)
    assert _refs(result.dont_know) == [("B1", "10× „weiß nicht“")]
    assert "B1" not in {e.subcriterion.id for e in result.lowest + result.widest}


def test_agenda_is_empty_below_the_threshold(small_q):
    pic = _picture(small_q, _FIVE[:4])  # one short of 2k − 1 = 5
    assert not pic.drawable
    assert pic.dont_know == {}
    result = agenda(small_q, pic)
    assert result.empty
    assert (result.lowest, result.widest, result.dont_know) == ([], [], [])


def test_agenda_respects_a_higher_group_threshold(small_q):
    # Five analyses are enough for k = 3 (gate 5) but not for a group that chose k = 4 (gate 7).
    assert not agenda(small_q, _picture(small_q, _FIVE, k=3)).empty
    assert agenda(small_q, _picture(small_q, _FIVE, k=4)).empty
    seven = [*_FIVE, _FIVE[0], _FIVE[3]]
    assert not agenda(small_q, _picture(small_q, seven, k=4)).empty


def test_agenda_on_the_default_questionnaire(questionnaire):
    rows = []
    for a2 in ("1", "2", "3", "4", "2"):
        answers = _all(questionnaire, "4")
        # C3 is low for everyone, A2 varies widely, B4 collects "weiß nicht".
        for st in questionnaire.subcriterion("C3").statements:
            answers[st.id] = "1"
        for st in questionnaire.subcriterion("A2").statements:
            answers[st.id] = a2
        answers[questionnaire.subcriterion("B4").statements[0].id] = "dk"
        rows.append(answers)
    result = agenda(questionnaire, _picture(questionnaire, rows))
    assert [e.subcriterion.id for e in result.lowest] == ["C3", "A2", "A1"]
    assert _refs(result.lowest)[:2] == [("C3", "Median 1,0"), ("A2", "Median 2,0")]
    assert _refs(result.widest) == [("A2", "mittlere 50 %: 2,0 bis 3,0")]
    assert _refs(result.dont_know) == [("B4", "5× „weiß nicht“")]
