"""Unit tests of the anonymity rules in `mintqo.domain.anonymity`, one function at a time.

The attacker's-side properties over whole histories are in test_anonymity_properties.py.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from small_questionnaire import small_dict
from test_anonymity_properties import item_changes  # the previous rule, modelled there

from mintqo.domain import anonymity, release_plan
from mintqo.domain.anonymity import (
    CHANGE,
    FEW,
    MIN_K,
    GroupPicture,
    Withheld,
    gate,
    median_shift,
    picture,
    rated,
    scope_visible,
)
from mintqo.domain.histograms import AxisStat, axis_stat, contribution, histograms_of
from mintqo.domain.questionnaire import ANSWER_VALUES
from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.domain.release_plan import exposed_items, plan_release

SMALL = parse_questionnaire(small_dict())
STATEMENTS = [s.id for s in SMALL.statements()]
AXES = [f"u:{s.id}" for s in SMALL.subcriteria] + [f"c:{c.id}" for c in SMALL.criteria]

_PROPS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_answers = st.dictionaries(st.sampled_from(STATEMENTS), st.sampled_from(ANSWER_VALUES))


def all_answers(value: str) -> dict[str, str]:
    return dict.fromkeys(STATEMENTS, value)


# --- gate, rated, item_changes ---------------------------------------------------------------------


@pytest.mark.parametrize(("k", "g"), [(3, 5), (4, 7), (5, 9), (10, 19)])
def test_gate_leaves_k_unknown_after_subtracting_k_minus_one(k, g):
    assert gate(k) == g
    assert gate(k) - (k - 1) == k


def test_rated_counts_ratings_scores_or_every_analysis():
    assert rated("s:A1.1", {"1": 1, "4": 2, "na": 5, "dk": 3, "open": 4}) == 3
    assert rated("u:A1", {"10": 2, "35": 1, "none": 6}) == 3
    assert rated("c:A", {"none": 4}) == 0
    assert rated("d:A1", {"0": 4, "2": 1}) == 5
    assert rated("m:A1:geplant", {"0": 2, "1": 3}) == 5


def test_item_changes_counts_added_left_deleted_and_changed_projects():
    a = {1: {"x": "1", "y": "0"}, 2: {"x": "1", "y": "0"}, 3: {"x": "2", "y": "0"}}
    assert item_changes(a, a) == {"x": 0, "y": 0}
    assert item_changes({**a, 3: {"x": "3", "y": "0"}}, a) == {"x": 1, "y": 0}  # changed
    assert item_changes({**a, 4: {"x": "1", "y": "0"}}, a) == {"x": 1, "y": 1}  # added
    assert item_changes({1: a[1], 2: a[2]}, a) == {"x": 1, "y": 1}  # left
    assert item_changes(a, {**a, 2: None}) == {"x": 1, "y": 1}  # deleted since: every item
    assert item_changes({}, {}) == {}


# --- plan_release -----------------------------------------------------------------------------------


def _contribs(rows: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    return {p: contribution(SMALL, a) for p, a in enumerate(rows)}


def test_plan_release_refuses_a_released_or_withdrawn_round_and_too_few_analyses():
    five = _contribs([all_answers("3")] * 5)
    released = plan_release(five, [], 3, round_released=True)
    assert not released.allowed and "bereits freigegeben" in released.reason
    assert "endgültig" in released.reason
    withdrawn = plan_release(five, [], 3, round_withdrawn=True)
    assert not withdrawn.allowed and "zurückgezogen" in withdrawn.reason
    assert "nicht neu" in withdrawn.reason
    four = plan_release(_contribs([all_answers("3")] * 4), [], 3)
    assert not four.allowed
    assert four.reason.startswith("Es sind erst 4 von mindestens 5 Selbstanalysen dieser Runde abgeschlossen")
    assert "k = 3" in four.reason
    assert plan_release(_contribs([all_answers("3")] * 6), [], 4).reason.startswith(
        "Es sind erst 6 von mindestens 7"
    )
    ok = plan_release(five, [], 3)
    assert ok.allowed and ok.reason == "" and ok.n == 5 and ok.withheld == {}


def test_plan_release_withholds_items_on_few_ratings_and_few_changes():
    rows = [all_answers("3") for _ in range(5)]
    for row in rows[:2]:
        row["A1.1"] = "na"  # three ratings of A1.1
    plan = plan_release(_contribs(rows), [], 3)
    assert plan.allowed and plan.withheld == {"s:A1.1": FEW}
    assert "s:A1.1" not in plan.hists and plan.hists["s:A1.2"] == {"3": 5}
    assert not plan.membership_differs
    # Against an earlier release of other projects (a new edition's group): newcomers 5–7 join
    # with all "3", projects 0–1 change B1.1 to "1". Cell "3" of B1.1 is touched by the two
    # changers and the three joiners (5 ≥ 5), but cell "1" by the two changers only: withheld.
    # Every other item: cell "3" touched by the three joiners alone – withheld.
    earlier = _contribs([all_answers("3")] * 5)
    changed = contribution(SMALL, {**all_answers("3"), "B1.1": "1"})
    later = {**earlier, 0: changed, 1: changed, 5: earlier[2], 6: earlier[2], 7: earlier[2]}
    plan = plan_release(later, [earlier], 3)
    assert not plan.allowed and plan.reason == "Kein Wert erreicht die Anonymitätsschwelle."
    assert plan.membership_differs and set(plan.withheld.values()) == {CHANGE}
    # Three more change B1.1 (five changers): both cells of B1.1 have company, and so do the
    # scores built on it; the joiners' "3" stands alone (3 < 5) elsewhere.
    five = {**later, **{p: changed for p in (2, 3, 4)}}
    plan = plan_release(five, [earlier], 3)
    assert plan.allowed and {"s:B1.1", "u:B1", "c:B"} <= set(plan.hists)
    assert plan.withheld["s:A1.1"] == CHANGE and plan.withheld["d:B1"] == CHANGE
    assert set(plan.hists).isdisjoint(plan.withheld)
    # Five joiners in the same cells on every item: nothing is withheld.
    grown = {**earlier, **{p: earlier[0] for p in range(5, 10)}}
    assert plan_release(grown, [earlier], 3).withheld == {}
    # The same projects: a single change is shown, who made it stays unknown.
    one = plan_release({**earlier, 0: changed}, [earlier], 3)
    assert one.allowed and one.withheld == {} and not one.membership_differs


def test_plan_release_counts_only_fresh_analyses_towards_the_gate():
    earlier = _contribs([all_answers("3")] * 6)
    plan = plan_release(earlier, [earlier], 3, carried={4, 5})
    assert not plan.allowed and plan.carried == 2
    assert plan.reason.startswith("Es sind erst 4 von mindestens 5 Selbstanalysen dieser Runde")
    ok = plan_release(earlier, [earlier], 3, carried={5})
    assert ok.allowed and ok.carried == 1 and ok.withheld == {}


def test_plan_release_after_a_deletion_withholds_everything_and_says_why():
    earlier = _contribs([all_answers("3")] * 6)
    plan = plan_release(dict(earlier), [{**earlier, 5: None}], 3)
    assert not plan.allowed and plan.hists == {} and set(plan.withheld.values()) == {CHANGE}
    assert "gelöscht" in plan.reason and plan.membership_differs
    # Without the deleted one the comparison would have the same projects minus one leaver.
    rest = {p: c for p, c in earlier.items() if p != 5}
    assert not plan_release(rest, [{**earlier, 5: None}], 3).allowed


# --- exposed_items --------------------------------------------------------------------------------


def _c(**items: str) -> dict[str, str]:
    return {k.replace("_", ":", 1).replace("_", "."): v for k, v in items.items()}


def test_exposed_items_a_leaver_alone_in_its_cell():
    earlier = {p: _c(s_A1_1="3", s_A1_2="2") for p in range(6)}
    current = {p: c for p, c in earlier.items() if p != 5}
    assert exposed_items(current, earlier, 5) == {"s:A1.1", "s:A1.2"}
    assert exposed_items(earlier, current, 5) == {"s:A1.1", "s:A1.2"}  # a joiner likewise
    assert exposed_items(earlier, earlier, 5) == set()


def test_exposed_items_a_leaver_covered_by_a_gate_of_others_in_the_same_cell():
    earlier = {p: _c(s_A1_1="3", s_A1_2="2") for p in range(10)}
    # Project 9 leaves with A1.1 = "3"; 0–3 change A1.1 from "3" to "4": cell "3" is touched by
    # five, cell "4" by four – still exposed. With 0–4 changing, both cells have company.
    four = {p: _c(s_A1_1="4" if p < 4 else "3", s_A1_2="2") for p in range(9)}
    assert exposed_items(four, earlier, 5) == {"s:A1.1", "s:A1.2"}
    five = {p: _c(s_A1_1="4" if p < 5 else "3", s_A1_2="2") for p in range(9)}
    assert exposed_items(five, earlier, 5) == {"s:A1.2"}
    # A1.2: the leaver's "2" needs four more touching "2": four joiners with "2" (and A1.1 "4").
    joined = {**five, **{p: _c(s_A1_1="4", s_A1_2="2") for p in range(10, 14)}}
    assert exposed_items(joined, earlier, 5) == set()
    # A larger gate (k = 5): six touch A1.1's "3", five A1.2's "2" – both too few.
    assert exposed_items(joined, earlier, 9) == {"s:A1.1", "s:A1.2"}


def test_exposed_items_non_rating_switches_never_cover_a_rating_cell():
    # Project 0 leaves with "3"; 1–4 switch "nicht zutreffend" → "weiß nicht"; 5 projects differ.
    earlier = {0: _c(s_A1_1="3")} | {p: _c(s_A1_1="na") for p in range(1, 5)}
    earlier |= {p: _c(s_A1_1="3") for p in range(5, 10)}
    current = {p: _c(s_A1_1="dk") for p in range(1, 5)} | {p: _c(s_A1_1="3") for p in range(5, 10)}
    assert item_changes(current, earlier) == {"s:A1.1": 5}  # the previous rule: covered
    assert exposed_items(current, earlier, 5) == {"s:A1.1"}
    # Even eight switches leave the leaver's rating cell alone.
    more = {**earlier, **{p: _c(s_A1_1="na") for p in range(10, 14)}}
    more_now = {**current, **{p: _c(s_A1_1="dk") for p in range(10, 14)}}
    assert exposed_items(more_now, more, 5) == {"s:A1.1"}


def test_exposed_items_a_deleted_member_exposes_every_item():
    earlier = {p: _c(s_A1_1="3", d_A1="0") for p in range(10)}
    assert exposed_items(earlier, {**earlier, 3: None}, 5) == {"s:A1.1", "d:A1"}
    assert exposed_items({**earlier, 3: None}, earlier, 5) == {"s:A1.1", "d:A1"}
    # Even when nothing else differs and the deleted one is not in the new release.
    rest = {p: c for p, c in earlier.items() if p != 3}
    assert exposed_items(rest, {**earlier, 3: None}, 5) == {"s:A1.1", "d:A1"}


def test_plan_release_refuses_when_nothing_is_shown():
    earlier = _contribs([all_answers("3")] * 5)
    one_more = {**earlier, 5: earlier[0]}  # one project added: every item differs by 1
    plan = plan_release(one_more, [earlier], 3)
    assert not plan.allowed and plan.reason == "Kein Wert erreicht die Anonymitätsschwelle."
    assert set(plan.withheld.values()) == {CHANGE} and plan.hists == {}


@_PROPS
@given(
    st.lists(_answers, max_size=9),
    st.lists(st.lists(_answers, max_size=9), max_size=2),
    st.sampled_from([3, 4]),
)
def test_plan_release_shows_only_gated_items_whose_cells_moved_by_zero_or_a_gate(rows, earlier_rows, k):
    current = _contribs(rows)
    earlier = [_contribs(e) for e in earlier_rows]
    plan = plan_release(current, earlier, k)
    assert plan.allowed is (len(current) >= gate(k) and bool(plan.hists))
    hists = histograms_of(current.values())
    for item, hist in plan.hists.items():
        assert hist == dict(hists[item]) and rated(item, hist) >= gate(k)
        for e in earlier:
            if release_plan.membership_changes(current, e):  # same projects: changers stay unknown
                # Every cell of the item touched by 0 or at least gate(k) differing projects.
                touched: dict[str, int] = {}
                for p in current.keys() | e.keys():
                    new, old = current.get(p, {}).get(item), e.get(p, {}).get(item)
                    for cell in {new, old} - {None} if new != old else ():
                        touched[cell] = touched.get(cell, 0) + 1
                assert all(t == 0 or t >= gate(k) for t in touched.values()), (item, touched)


# --- picture, statements, median_shift, scope_visible ------------------------------------------------


@_PROPS
@given(st.lists(_answers, max_size=8), st.sampled_from([3, 4]), st.booleans())
def test_picture_gates_every_axis_statement_and_total(rows, k, hold_first):
    hists = histograms_of(contribution(SMALL, a, {}) for a in rows)
    n = len(rows)
    held = {AXES[0]: CHANGE, "d:A1": CHANGE, "m:A1:geplant": CHANGE} if hold_first else {}
    pic = picture(SMALL, "Gruppe", hists, n, k, held)
    g = gate(k)
    for item in AXES:
        axis = pic.axis(item)
        shown = n >= g and item not in held and rated(item, hists.get(item, {})) >= g
        assert isinstance(axis, AxisStat) is shown
        if shown:
            assert axis == axis_stat(item, hists[item])
        else:
            assert axis.reason == held.get(item, FEW) and axis.n == 0 and axis.k == k
            assert axis.message == Withheld(0, k, axis.reason).message  # never the small count
    assert pic.drawable is any(isinstance(a, AxisStat) for a in pic.axes.values())
    assert pic.n_withheld == sum(isinstance(a, Withheld) for a in pic.axes.values())
    if n < g:
        assert pic.dont_know == {} and pic.measures == {}
    else:
        assert ("A1" in pic.dont_know) is not hold_first
        # a withheld measure status is left out of the row, never shown as 0
        assert ("geplant" in pic.measures.get("A1", {})) is not hold_first
        for sub in SMALL.subcriteria:
            if sub.id in pic.dont_know:
                assert pic.dont_know[sub.id] == sum(int(b) * c for b, c in hists[f"d:{sub.id}"].items())
    for sub in SMALL.subcriteria:
        for view in pic.statements(SMALL, sub.id, hists):
            item = f"s:{view.statement_id}"
            ratings = sum(1 for a in rows if a.get(view.statement_id) in anonymity.RATINGS)
            assert (view.counts is not None) is (n >= g and ratings >= g)
            if view.counts is not None:
                assert sum(view.counts.values()) == n  # na, dk and open shown with the item
            else:
                assert view.withheld.reason == FEW and item not in held


def test_picture_totals_only_when_not_withheld_and_on_a_gate():
    rows = [{**all_answers("3"), "A1.1": "dk"}] * 5
    hists = histograms_of(contribution(SMALL, a, {("A1", "geplant"): 1}) for a in rows)
    pic = picture(SMALL, "Gruppe", hists, 5, 3)
    assert pic.dont_know["A1"] == 5 and pic.measures["A1"]["geplant"] == 5
    held = picture(SMALL, "Gruppe", hists, 5, 3, {"d:A1": CHANGE, "m:A1:geplant": CHANGE})
    assert "A1" not in held.dont_know and "geplant" not in held.measures["A1"]  # absent, never 0
    assert set(held.measures["A1"]) == {"begonnen", "umgesetzt", "verworfen"}  # the others form the row
    small = picture(SMALL, "Gruppe", hists, 4, 3)
    assert small.dont_know == {} and small.measures == {} and not small.drawable
    with pytest.raises(ValueError, match="mindestens 3"):
        picture(SMALL, "Gruppe", hists, 5, 2)


def test_statements_gate_on_ratings_only():
    rows = [{**all_answers("3"), "A1.1": v} for v in ("3", "4", "na", "dk", "2", "1")]
    del rows[5]["A1.2"]  # open
    hists = histograms_of(contribution(SMALL, a) for a in rows)
    pic = picture(SMALL, "Gruppe", hists, 6, 3)
    views = {v.statement_id: v for v in pic.statements(SMALL, "A1", hists)}
    assert views["A1.1"].counts is None and views["A1.1"].withheld == Withheld(0, 3, FEW)  # 4 ratings
    assert views["A1.2"].counts == {"1": 0, "2": 0, "3": 5, "4": 0, "na": 0, "dk": 0, "open": 1}
    held = picture(SMALL, "Gruppe", hists, 6, 3, {"s:A1.2": CHANGE})
    assert held.statements(SMALL, "A1", hists)[1].withheld == Withheld(0, 3, CHANGE)


def test_withheld_message_never_contains_the_small_count():
    for n in range(0, 7):
        few, change = Withheld(n, 4, FEW), Withheld(n, 4, CHANGE)
        assert few.message == "zu wenige Bewertungen für einen anonymen Vergleich (mindestens 7 nötig)"
        assert "zurückgehalten" in change.message
        assert not any(ch.isdigit() for ch in change.message)
    assert (
        anonymity.too_few(3, 3) == "noch zu wenige Analysen für einen anonymen Vergleich (3 von mindestens 5)"
    )


def test_median_shift_only_between_two_shown_axes():
    shown = AxisStat("u:A1", 5, 2.0, 2.5, 3.0)
    later = AxisStat("u:A1", 5, 3.0, 3.0, 3.5)
    before = GroupPicture("Runde 1", 5, 3, {"u:A1": shown}, {})
    after = GroupPicture("Runde 2", 5, 4, {"u:A1": later}, {})
    assert median_shift(before, after, "u:A1") == 0.5
    assert median_shift(after, before, "u:A1") == -0.5
    held = GroupPicture("Runde 2", 5, 3, {"u:A1": Withheld(0, 3, CHANGE)}, {})
    assert median_shift(before, held, "u:A1") == Withheld(0, 3, CHANGE)
    assert median_shift(before, after, "u:B9") == Withheld(0, 4, FEW)  # stricter k, no count
    empty = GroupPicture("Runde 2", 5, 3, {"u:A1": AxisStat("u:A1", 0, None, None, None)}, {})
    assert median_shift(before, empty, "u:A1") == Withheld(0, 3, FEW)


@pytest.mark.parametrize(
    ("scope", "own", "k", "expected"),
    [
        (4, None, 3, False),
        (5, None, 3, True),
        (5, 5, 3, True),  # the region is the own group
        (9, 5, 3, False),  # 4 more: fewer than gate(3)
        (10, 5, 3, True),
        (7, 7, 4, True),
        (13, 7, 4, False),
        (14, 7, 4, True),
        (6, 6, 4, False),  # below the gate even when equal
    ],
)
def test_scope_visible(scope, own, k, expected):
    assert scope_visible(scope, own, k) is expected


# --- the accepted residual risk, as a bound ---------------------------------------------------------


@_PROPS
@given(st.sampled_from([3, 4, 5]), st.integers(0, 12), st.integers(0, 6))
def test_residual_risk_isolating_one_needs_2k_minus_2_known_contributions(k, extra, m):
    """A shown item rests on r ≥ gate(k) ratings. With m of them known, r − m ≥ gate(k) − m remain;
    one stands alone only when m ≥ r − 1 ≥ 2k − 2 – more than the k − 1 the attacker model allows,
    so it takes 2k − 2 colluding or puppet analyses (for k = 3: 4 puppets and nobody else)."""
    r = gate(k) + extra
    rows = [all_answers("3")] * r
    plan = plan_release(_contribs(rows), [], k)
    assert plan.allowed and rated("s:A1.1", plan.hists["s:A1.1"]) == r
    unknown = r - m
    assert unknown >= gate(k) - m
    if m <= k - 1:
        assert unknown >= k
    isolated = unknown == 1
    assert not isolated or m >= 2 * k - 2 > k - 1
    # The bound is tight: at exactly gate(k) ratings, 2k − 2 known leave one.
    assert gate(k) - (2 * k - 2) == 1
    assert MIN_K == 3
