"""Rounds, pure domain: carrying answers into the next round (same or newer edition), comparing two
rounds sub-criterion by sub-criterion, and the previous round's trace on the radar."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.questionnaire_validation import QuestionnaireError, parse_questionnaire
from mintqo.domain.rounds import NOT_IN_BOTH, RoundChange, carry_over, compare
from mintqo.domain.scoring import format_score, round_score, score_analysis
from mintqo.figures import charts

MINUS = "\u2212"  # the typographic minus the change table uses


def _next_edition_dict() -> dict[str, Any]:
    """test-2027.1: A1.2 renamed to A1.4, A1.3 dropped (its id re-used for a new statement),
    sub-criterion B2 removed and B3 added; everything else keeps its id."""
    data = small_dict()
    data["edition"] = "test-2027.1"
    a1 = data["criteria"][0]["subcriteria"][0]
    a1["statements"] = [
        {"id": "A1.1", "text": "Wir kennen unsere Zielgruppe."},
        {"id": "A1.4", "text": "Wir erreichen unsere Zielgruppe gut."},
        {"id": "A1.3", "text": "Eine ganz neue Aussage unter alter Id."},
    ]
    data["criteria"][1]["subcriteria"][1] = {
        "id": "B3",
        "title": "Kooperationen",
        "explanation": "Mit wem arbeiten Sie zusammen?",
        "example": "Eine Schule und ein Unternehmen.",
        "statements": [
            {"id": "B3.1", "text": "Wir haben feste Partner."},
            {"id": "B3.2", "text": "Wir pflegen die Partnerschaften."},
        ],
    }
    data["mappings"] = [
        {"from": "test-2026.1", "statements": {"A1.2": "A1.4", "A1.3": None}},
        # A mapping from another edition never applies when carrying from test-2026.1.
        {"from": "test-2025.1", "statements": {"A1.1": None, "A2.1": "B3.1"}},
    ]
    return data


@pytest.fixture
def old_q() -> Questionnaire:
    return parse_questionnaire(small_dict())


@pytest.fixture
def new_q() -> Questionnaire:
    return parse_questionnaire(_next_edition_dict())


# --- carry_over ------------------------------------------------------------------------------------


def test_carry_over_within_an_edition_keeps_every_known_id(old_q):
    answers = {"A1.1": "3", "A1.2": "dk", "B2.3": "na", "A2.1": "1"}
    assert carry_over(old_q, old_q, answers) == answers


def test_carry_over_within_an_edition_drops_unknown_ids(old_q):
    answers = {"A1.1": "3", "Z9.9": "4", "B2": "2", "": "1"}
    assert carry_over(old_q, old_q, answers) == {"A1.1": "3"}


def test_carry_over_does_not_change_its_input(old_q, new_q):
    answers = {"A1.2": "2", "B2.1": "4"}
    carry_over(old_q, new_q, answers)
    assert answers == {"A1.2": "2", "B2.1": "4"}


def test_carry_over_into_a_newer_edition_by_id_and_by_mapping(old_q, new_q):
    answers = {
        "A1.1": "4",  # same id in both editions
        "A1.2": "2",  # renamed by the mapping to A1.4
        "A1.3": "3",  # dropped by the mapping (null), although the new edition re-uses the id
        "A2.1": "1",  # same id; the test-2025.1 mapping must not move it to B3.1
        "A2.2": "dk",
        "B1.2": "na",
        "B2.1": "4",  # its sub-criterion is gone: unknown in the new edition
        "B2.3": "2",
        "X1.1": "3",  # never existed
    }
    assert carry_over(old_q, new_q, answers) == {
        "A1.1": "4",
        "A1.4": "2",
        "A2.1": "1",
        "A2.2": "dk",
        "B1.2": "na",
    }


def test_carried_answers_always_belong_to_the_current_edition(old_q, new_q):
    every = {st.id: "3" for st in old_q.statements()}
    carried = carry_over(old_q, new_q, every)
    assert all(new_q.has_statement(sid) for sid in carried)
    assert "A1.3" not in carried and "B3.1" not in carried and "B3.2" not in carried
    assert len(carried) == len(every) - 1 - 3  # A1.3 dropped, B2.1–B2.3 gone


def _carried_to(q: Questionnaire, edition: str, statement_id: str) -> str | None:
    """Where one answer of `edition` lands in `q` when carried over (None: not carried)."""
    previous = parse_questionnaire({**small_dict(), "edition": edition})
    return next(iter(carry_over(previous, q, {statement_id: "3"})), None)


def test_carry_over_follows_the_mapping_of_the_answers_edition_then_the_id(new_q):
    assert _carried_to(new_q, "test-2026.1", "A1.2") == "A1.4"
    assert _carried_to(new_q, "test-2026.1", "A1.3") is None
    assert _carried_to(new_q, "test-2026.1", "A2.1") == "A2.1"
    assert _carried_to(new_q, "test-2026.1", "B2.1") is None
    assert _carried_to(new_q, "test-2025.1", "A2.1") == "B3.1"
    assert _carried_to(new_q, "test-2025.1", "A1.1") is None
    assert _carried_to(new_q, "unknown-edition", "A1.2") is None


def test_mapping_into_an_unknown_statement_is_refused():
    data = _next_edition_dict()
    data["mappings"] = [{"from": "test-2026.1", "statements": {"A1.2": "A1.9"}}]
    with pytest.raises(QuestionnaireError, match=r"Ziel „A1\.9“ gibt es in dieser Ausgabe nicht"):
        parse_questionnaire(data)


def test_carry_over_back_into_the_older_edition_matches_by_id_only(old_q, new_q):
    # The older edition knows no mapping from the newer one: only ids it has come back.
    answers = {"A1.1": "4", "A1.4": "2", "B3.1": "3", "B1.2": "na"}
    assert carry_over(new_q, old_q, answers) == {"A1.1": "4", "B1.2": "na"}


def test_carry_over_does_not_depend_on_the_order_of_the_answers(old_q):
    data = small_dict()
    data["edition"] = "test-2027.1"
    data["mappings"] = [{"from": "test-2026.1", "statements": {"A1.1": "A1.2"}}]
    try:
        new_q = parse_questionnaire(data)
    except QuestionnaireError:
        return  # refusing the ambiguous mapping would be a fix as well
    answers = {"A1.1": "4", "A1.2": "1"}
    assert carry_over(old_q, new_q, answers) == carry_over(old_q, new_q, dict(reversed(answers.items())))


# --- compare ---------------------------------------------------------------------------------------


def _by_id(changes: list[RoundChange]) -> dict[str, RoundChange]:
    return {c.subcriterion_id: c for c in changes}


def test_compare_within_an_edition_gives_before_after_and_german_deltas(old_q):
    before = score_analysis(old_q, {"A1.1": "2", "A1.2": "3", "A2.1": "3", "B1.1": "3", "B2.1": "3"})
    after = score_analysis(
        old_q, {"A1.1": "3", "A1.2": "3", "A2.1": "3", "A2.2": "2", "B1.1": "3", "B2.1": "2", "B2.2": "na"}
    )
    changes = compare(before, after)
    assert [c.subcriterion_id for c in changes] == ["A1", "A2", "B1", "B2"]
    a1, a2, b1, b2 = changes
    assert (a1.before, a1.after, a1.delta, a1.text) == (2.5, 3.0, 0.5, "+0,5")
    assert (a2.before, a2.after, a2.delta, a2.text) == (3.0, 2.5, -0.5, f"{MINUS}0,5")
    assert (b1.before, b1.after, b1.delta, b1.text) == (3.0, 3.0, 0.0, "±0,0")
    assert (b2.before, b2.after, b2.delta, b2.text) == (3.0, 2.0, -1.0, f"{MINUS}1,0")
    assert all(c.comparable for c in changes)
    assert a1.label == "A1 Zielgruppen"


def test_delta_is_the_change_of_the_displayed_scores():
    # 2.666… shows as 2,7 and 3.0 as 3,0: the table says −0,3, matching what the user reads.
    change = RoundChange("A1", "A1 Zielgruppen", 3.0, 8 / 3, True)
    assert change.delta == -0.3 and change.text == f"{MINUS}0,3"
    # 2.45 and 2.5 both show as 2,5: no change, although the raw means differ.
    assert RoundChange("A1", "A1", 2.45, 2.5, True).text == "±0,0"
    assert RoundChange("A1", "A1", 2.95, 2.65, True).text == f"{MINUS}0,3"
    assert RoundChange("A1", "A1", 1.0, 4.0, True).text == "+3,0"


_means = st.floats(1.0, 4.0, allow_nan=False)


def _shown(mean: float) -> float:
    return float(format_score(mean).replace(",", "."))


@settings(max_examples=300, deadline=None)
@given(_means, _means)
def test_delta_text_always_matches_the_two_displayed_scores(before, after):
    change = RoundChange("A1", "A1", before, after, True)
    diff = round(_shown(after) - _shown(before), 1)
    assert change.delta == diff
    if diff > 0:
        assert change.text == "+" + format_score(diff)
    elif diff < 0:
        assert change.text == MINUS + format_score(-diff)
    else:
        assert change.text == "±0,0"
    assert "-" not in change.text  # never a hyphen-minus


def test_compare_across_editions_marks_sub_criteria_of_only_one_round(old_q, new_q):
    before = score_analysis(old_q, {"A1.1": "2", "B1.1": "3", "B2.1": "4", "B2.2": "4"})
    after = score_analysis(new_q, {"A1.1": "3", "B1.1": "3", "B3.1": "1", "B3.2": "1"})
    changes = compare(before, after)
    # The current round's sub-criteria in its order, then those only the earlier round had.
    assert [c.subcriterion_id for c in changes] == ["A1", "A2", "B1", "B3", "B2"]
    by = _by_id(changes)
    assert by["A1"].text == "+1,0" and by["B1"].text == "±0,0"
    for sub_id, before_mean, after_mean in (("B3", None, 1.0), ("B2", 4.0, None)):
        change = by[sub_id]
        assert (change.before, change.after) == (before_mean, after_mean)
        assert change.comparable is False
        assert change.delta is None  # never 0 and never a drop to "−4,0"
        assert change.text == NOT_IN_BOTH == "nicht in beiden Runden"
    assert by["B3"].label == "B3 Kooperationen" and by["B2"].label == "B2 Finanzierung"


def test_a_sub_criterion_without_a_score_shows_keine_bewertung(old_q):
    before = score_analysis(old_q, {"A1.1": "3", "A2.1": "na", "B1.1": "dk"})
    after = score_analysis(old_q, {"A1.1": "na", "A2.1": "4", "B1.1": "dk"})
    by = _by_id(compare(before, after))
    assert (by["A1"].before, by["A1"].after) == (3.0, None)  # scored before, not after
    assert (by["A2"].before, by["A2"].after) == (None, 4.0)  # the other way round
    for sub_id in ("A1", "A2", "B1", "B2"):
        assert by[sub_id].comparable is True
        assert by[sub_id].delta is None
        assert by[sub_id].text == "keine Bewertung"


def test_comparing_a_round_with_itself_changes_nothing(old_q):
    results = score_analysis(old_q, {"A1.1": "2", "A1.2": "4", "A2.1": "3", "B1.1": "1", "B2.1": "4"})
    assert {c.text for c in compare(results, results)} == {"±0,0"}


# --- the previous round on the radar ---------------------------------------------------------------


def _trace(fig, name: str):
    found = [t for t in fig.data if t.name == name]
    assert len(found) == 1, [t.name for t in fig.data]
    return found[0]


def test_radar_overlays_the_previous_round_with_gaps_where_it_had_no_axis(old_q, new_q):
    before = score_analysis(old_q, {"A1.1": "2", "A1.2": "3", "A2.1": "4", "B2.1": "4"})
    after = score_analysis(new_q, {"A1.1": "3", "A2.1": "3", "B1.1": "2", "B3.1": "1"})
    fig = charts.radar_figure(after, previous=before, previous_name="Runde 1")
    prev = _trace(fig, "Runde 1")
    own = _trace(fig, "Ihr Projekt")
    # Axes of the current round (A1, A2, B1, B3), closed: B1 had no score and B3 did not exist.
    assert list(prev.r) == [2.5, 4.0, None, None, 2.5]
    assert list(prev.theta) == list(own.theta)
    assert list(own.r) == [3.0, 3.0, 2.0, 1.0, 3.0]
    assert prev.connectgaps is False  # a gap, never a line through zero
    assert 0 not in [v for v in prev.r if v is not None]
    assert fig.layout.showlegend is True


def test_radar_previous_trace_uses_displayed_scores(old_q):
    before = score_analysis(old_q, {"A1.1": "2", "A1.2": "3", "A1.3": "3", "A2.1": "1"})
    after = score_analysis(old_q, {"A1.1": "4"})
    prev = _trace(charts.radar_figure(after, previous=before, previous_name="Runde 1"), "Runde 1")
    assert list(prev.r) == [round_score(8 / 3), 1.0, None, None, round_score(8 / 3)]
    assert prev.r[0] == 2.7


def test_radar_without_previous_round_has_no_previous_trace(old_q):
    fig = charts.radar_figure(score_analysis(old_q, {"A1.1": "4"}))
    assert "vorige Runde" not in [t.name for t in fig.data]
    assert "Runde 1" not in [t.name for t in fig.data]
