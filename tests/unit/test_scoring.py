"""Scoring: honest means over 1–4, counts behind every score, banding, ranking and the summary."""

from __future__ import annotations

import pytest
from small_questionnaire import small_dict

from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.domain.scoring import (
    Band,
    band_of,
    format_score,
    open_points,
    round_score,
    score_analysis,
    score_subcriterion,
    summary,
    table_rows,
)
from mintqo.questionnaire_files import load_file


def _sub(results, sub_id):
    return next(s for s in results.subscores if s.subcriterion.id == sub_id)


def _crit(results, crit_id):
    return next(c for c in results.criteria if c.id == crit_id)


def _ids(subscores):
    return [s.subcriterion.id for s in subscores]


# --- means and counts -------------------------------------------------------------------------


def test_not_applicable_and_dont_know_never_count_as_zero(small_q):
    answers = {"A1.1": "4", "A1.2": "na", "A1.3": "dk"}
    s = score_subcriterion(small_q.subcriterion("A1"), answers)
    assert s.mean == 4.0
    assert (s.n_scoring, s.n_not_applicable, s.n_dont_know, s.n_open) == (1, 1, 1, 0)
    assert s.n_total == 3
    assert s.band is Band.STRENGTH
    assert format_score(s.mean) == "4,0"


def test_mean_is_over_scoring_answers_only(small_q):
    answers = {"B2.1": "1", "B2.2": "2", "B2.3": "na"}
    s = score_subcriterion(small_q.subcriterion("B2"), answers)
    assert s.mean == pytest.approx(1.5)
    assert (s.n_scoring, s.n_not_applicable, s.n_dont_know, s.n_open) == (2, 1, 0, 0)
    assert s.band is Band.DEVELOPMENT


def test_mean_of_three_answers_is_shown_with_one_decimal(small_q):
    s = score_subcriterion(small_q.subcriterion("A1"), {"A1.1": "1", "A1.2": "2", "A1.3": "4"})
    assert s.mean == pytest.approx(7 / 3)
    assert format_score(s.mean) == "2,3"
    assert s.band is Band.EXPANDABLE


def test_answers_of_other_subcriteria_do_not_leak_in(small_q):
    s = score_subcriterion(small_q.subcriterion("A2"), {"A1.1": "1", "B1.1": "1", "A2.1": "4"})
    assert s.mean == 4.0
    assert (s.n_scoring, s.n_open) == (1, 1)


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"A2.1": "na", "A2.2": "na"},
        {"A2.1": "dk", "A2.2": "dk"},
        {"A2.1": "na", "A2.2": "dk"},
        {"A2.1": "dk"},
    ],
)
def test_subcriterion_without_scoring_answer_has_no_score(small_q, answers):
    s = score_subcriterion(small_q.subcriterion("A2"), answers)
    assert s.mean is None
    assert s.band is None
    assert s.n_scoring == 0
    assert s.n_not_applicable + s.n_dont_know + s.n_open == 2
    assert format_score(s.mean) == "keine Bewertung"


def test_unscored_subcriterion_is_neither_strength_nor_development_area(small_q):
    results = score_analysis(small_q, {"A1.1": "4", "A2.1": "na", "A2.2": "dk", "B1.1": "1"})
    assert _ids(results.unscored()) == ["A2", "B2"]
    assert "A2" not in _ids(results.strengths())
    assert "A2" not in _ids(results.development_areas())
    assert _ids(results.strengths()) == ["A1"]
    assert _ids(results.development_areas()) == ["B1"]


# --- main criteria ----------------------------------------------------------------------------


def test_criterion_mean_is_mean_of_subcriterion_means_not_of_statements(small_q):
    # A1: 4, 4, 1 -> 3.0 ; A2: 1, na -> 1.0. Sub-criteria mean 2.0; a statement mean would be 2.5.
    answers = {"A1.1": "4", "A1.2": "4", "A1.3": "1", "A2.1": "1", "A2.2": "na"}
    results = score_analysis(small_q, answers)
    a = _crit(results, "A")
    assert a.mean == pytest.approx(2.0)
    assert a.n_subcriteria == 2
    assert a.n_scoring == 4
    assert a.band is Band.EXPANDABLE
    assert a.title == "Angebotsqualität"


def test_criterion_mean_ignores_unscored_subcriteria(small_q):
    # B1 scored 3.0; B2 only dk / na / unanswered -> B is 3.0, not pulled down.
    answers = {"B1.1": "3", "B1.2": "3", "B2.1": "dk", "B2.2": "na"}
    b = _crit(score_analysis(small_q, answers), "B")
    assert b.mean == pytest.approx(3.0)
    assert b.n_subcriteria == 1
    assert b.n_scoring == 2
    assert b.band is Band.SOLID


def test_criterion_without_scored_subcriteria_has_no_score(small_q):
    results = score_analysis(small_q, {"A1.1": "2", "B1.1": "na", "B2.1": "dk"})
    b = _crit(results, "B")
    assert b.mean is None
    assert b.band is None
    assert b.n_subcriteria == 0
    assert format_score(b.mean) == "keine Bewertung"
    assert _crit(results, "A").mean == pytest.approx(2.0)


def test_answered_counts_not_applicable_and_dont_know(small_q):
    results = score_analysis(small_q, {"A1.1": "4", "A1.2": "na", "B2.3": "dk"})
    assert (results.answered, results.total) == (3, 10)


# --- banding and display ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "band"),
    [
        (1.0, Band.DEVELOPMENT),
        (1.45, Band.DEVELOPMENT),
        (1.9, Band.DEVELOPMENT),
        (1.94, Band.DEVELOPMENT),
        (1.95, Band.EXPANDABLE),  # shown as 2,0
        (2.0, Band.EXPANDABLE),
        (2.5, Band.EXPANDABLE),
        (2.9, Band.EXPANDABLE),
        (2.94, Band.EXPANDABLE),
        (2.95, Band.SOLID),  # shown as 3,0: "weitgehend umgesetzt" is solid, not yet a strength
        (2.96, Band.SOLID),
        (3.0, Band.SOLID),
        (3.2, Band.SOLID),
        (3.24, Band.SOLID),
        (3.25, Band.STRENGTH),  # shown as 3,3
        (3.5, Band.STRENGTH),
        (4.0, Band.STRENGTH),
    ],
)
def test_band_follows_the_shown_value(mean, band):
    assert band_of(mean) is band


@pytest.mark.parametrize(
    ("mean", "band"), [(1.95, Band.EXPANDABLE), (2.95, Band.SOLID), (3.25, Band.STRENGTH)]
)
def test_band_agrees_with_what_is_displayed(mean, band):
    shown = format_score(mean)
    assert shown in {"2,0", "3,0", "3,3"}
    assert band_of(float(shown.replace(",", "."))) is band_of(mean) is band


@pytest.mark.parametrize(
    ("mean", "shown"),
    [
        (None, "keine Bewertung"),
        (1.0, "1,0"),
        (4, "4,0"),
        (3.44, "3,4"),
        (2.25, "2,3"),  # half up, not banker's rounding
        (1.45, "1,5"),  # binary float 1.4499… still shows as 1,5
        (1.95, "2,0"),
        (1.94, "1,9"),
        (2.96, "3,0"),
        (7 / 3, "2,3"),
        (11 / 3, "3,7"),
    ],
)
def test_format_score_uses_german_decimal_comma(mean, shown):
    assert format_score(mean) == shown
    if mean is not None:
        assert "." not in format_score(mean)


def test_round_score_is_half_up():
    assert round_score(2.25) == 2.3
    assert round_score(2.35) == 2.4
    assert round_score(3.05) == 3.1
    assert round_score(2.949) == 2.9


def test_band_colours_differ():
    assert len({b.color for b in Band}) == len(Band)


# --- ranking ----------------------------------------------------------------------------------


def test_strengths_best_first_development_areas_weakest_first(small_q):
    answers = {
        "A1.1": "3",
        "A1.2": "3",
        "A1.3": "3",  # A1 3.0
        "A2.1": "4",
        "A2.2": "4",  # A2 4.0
        "B1.1": "3",
        "B1.2": "4",  # B1 3.5
        "B2.1": "1",
        "B2.2": "2",
        "B2.3": "2",  # B2 1.67
    }
    results = score_analysis(small_q, answers)
    assert _ids(results.strengths()) == ["A2", "B1"]
    assert _ids(results.solid()) == ["A1"]  # exactly 3,0 is solid: neither strength nor development area
    assert _ids(results.development_areas()) == ["B2"]


def test_development_areas_include_amber_and_red_weakest_first(small_q):
    answers = {"A1.1": "2", "A2.1": "3", "A2.2": "2", "B1.1": "1", "B2.1": "4"}
    results = score_analysis(small_q, answers)
    assert _ids(results.development_areas()) == ["B1", "A1", "A2"]
    assert _ids(results.strengths()) == ["B2"]


def test_strength_ties_keep_questionnaire_order(small_q):
    # A1 ("Zielgruppen") and B1 ("Bedarf") both 3,5; A1 comes first in the questionnaire.
    answers = {"A1.1": "4", "A1.2": "3", "A1.3": "na", "A2.1": "4", "B1.1": "3", "B1.2": "4"}
    results = score_analysis(small_q, answers)
    assert _ids(results.strengths()) == ["A2", "A1", "B1"]


def test_development_area_ties_keep_questionnaire_order(small_q):
    answers = {
        "A1.1": "2",  # A1 2.0 "Zielgruppen"
        "A2.1": "4",  # A2 4.0
        "B1.1": "1",
        "B1.2": "na",  # B1 1.0
        "B2.1": "2",
        "B2.2": "2",
        "B2.3": "2",  # B2 2.0 "Finanzierung"
    }
    results = score_analysis(small_q, answers)
    assert _ids(results.development_areas()) == ["B1", "A1", "B2"]


@pytest.mark.parametrize(
    ("a1", "b2", "ranking"),
    [
        (("2", "2", "3"), ("2", "2", "3", "2"), "development_areas"),  # A1 2.33, B2 2.25: both "2,3"
        (("3", "3", "4", "3"), ("3", "3", "4"), "strengths"),  # A1 3.25, B2 3.33: both "3,3"
    ],
)
def test_rankings_use_the_shown_score_so_equal_shown_scores_keep_questionnaire_order(a1, b2, ranking):
    # The raw means would rank B2 first; the shown (rounded) scores are equal, the reader sees a
    # tie, and a tie keeps questionnaire order: A1 before B2.
    data = small_dict()
    for sub in (data["criteria"][0]["subcriteria"][0], data["criteria"][1]["subcriteria"][1]):
        sub["statements"].append({"id": f"{sub['id']}.4", "text": "Eine vierte Aussage."})
    q = parse_questionnaire(data)
    answers = {f"A1.{i}": v for i, v in enumerate(a1, start=1)} | {
        f"B2.{i}": v for i, v in enumerate(b2, start=1)
    }
    results = score_analysis(q, answers)
    assert format_score(_sub(results, "A1").mean) == format_score(_sub(results, "B2").mean)
    assert _sub(results, "A1").mean != _sub(results, "B2").mean
    assert _ids(getattr(results, ranking)()) == ["A1", "B2"]


# --- summary ----------------------------------------------------------------------------------


def test_summary_of_empty_answers_tells_user_to_start(small_q):
    lines = summary(score_analysis(small_q, {}))
    assert len(lines) == 1
    assert "Beginnen Sie" in lines[0]


def test_summary_names_single_top_strength_and_weakest_area(small_q):
    answers = {
        "A1.1": "3",
        "A1.2": "3",
        "A1.3": "3",  # A1 Zielgruppen 3.0
        "A2.1": "4",
        "A2.2": "4",  # A2 Methoden 4.0
        "B1.1": "2",
        "B1.2": "3",  # B1 Bedarf 2.5
        "B2.1": "1",
        "B2.2": "2",
        "B2.3": "1",  # B2 Finanzierung 1.33
    }
    text = " ".join(summary(score_analysis(small_q, answers)))
    assert "Ihre größte Stärke ist „Methoden“ (4,0 von 4)" in text
    assert "Stärken sind" not in text
    assert "Den größten Entwicklungsbedarf sehen Sie bei „Finanzierung“ (1,3 von 4)" in text
    assert "Zielgruppen" not in text
    assert "weiß nicht" not in text
    assert "unbeantwortet" not in text


def test_summary_tie_names_all_top_strengths(small_q):
    answers = {"A1.1": "4", "A1.2": "4", "A2.1": "3", "B1.1": "4", "B2.1": "1"}
    lines = summary(score_analysis(small_q, answers))
    top = next(line for line in lines if "Stärke" in line and "4,0" in line)
    assert top.startswith("Ihre größten Stärken sind")
    assert "„Zielgruppen“" in top
    assert "„Bedarf“" in top
    assert top.index("Zielgruppen") < top.index("Bedarf")
    assert "Methoden" not in top


def test_summary_counts_dont_know_and_unanswered(small_q):
    answers = {"A1.1": "dk", "A1.2": "4", "A2.1": "dk", "B1.1": "1", "B2.1": "na"}
    lines = summary(score_analysis(small_q, answers))
    text = " ".join(lines)
    assert any("2 Aussagen" in line and "weiß nicht" in line for line in lines)
    assert "5 von 10 Aussagen sind noch unbeantwortet" in text


def test_summary_without_strength_says_so(small_q):
    answers = {k: "2" for k in ("A1.1", "A1.2", "A1.3", "A2.1", "A2.2", "B1.1", "B1.2")}
    answers |= {"B2.1": "1", "B2.2": "1", "B2.3": "1"}
    text = " ".join(summary(score_analysis(small_q, answers)))
    assert "Noch kein Unterkriterium erreicht den Bereich „Stärke“" in text
    assert "Ihre größte" not in text
    assert "„Finanzierung“ (1,0 von 4)" in text


def test_summary_when_everything_is_a_strength(small_q):
    answers = {st.id: "4" for st in small_q.statements()}
    text = " ".join(summary(score_analysis(small_q, answers)))
    assert "Alle bewerteten Unterkriterien liegen im Bereich „Stärke“" in text
    assert "Entwicklungsbedarf" not in text
    assert "unbeantwortet" not in text


def test_summary_with_only_non_scoring_answers_does_not_claim_strengths(small_q):
    # Nothing is scored yet, so nothing "lies in the Stärke band" — the summary must not say so.
    answers = {"A1.1": "dk", "A2.1": "na"}
    lines = summary(score_analysis(small_q, answers))
    text = " ".join(lines)
    assert lines[0] == "Noch keine Aussage ist mit 1–4 bewertet – daher gibt es noch keine Werte."
    assert "Stärke" not in text and "am besten" not in text


def test_summary_names_no_best_criterion_when_only_one_has_a_value(small_q):
    lines = summary(score_analysis(small_q, {"A1.1": "3", "A1.2": "2"}))
    text = " ".join(lines)
    assert "am besten" not in text
    assert f"Bisher hat nur das Hauptkriterium „{small_q.criteria[0].title}“ einen Wert (2,5)." in lines


# --- open points and table --------------------------------------------------------------------


def test_open_points_lists_dont_know_in_questionnaire_order(small_q):
    answers = {"B2.1": "dk", "A2.2": "na", "A1.2": "dk", "A1.1": "4"}
    assert open_points(small_q, answers) == [
        ("A1.2", "Wir erreichen unsere Zielgruppe."),
        ("B2.1", "Die Finanzierung ist gesichert."),
    ]
    assert open_points(small_q, {"A1.1": "na"}) == []


def test_table_rows_one_row_per_subcriterion_with_counts(small_q):
    answers = {"A1.1": "4", "A1.2": "3", "A1.3": "dk", "A2.1": "na", "B2.1": "1", "B2.2": "2"}
    rows = table_rows(score_analysis(small_q, answers))
    assert [r["Id"] for r in rows] == ["A1", "A2", "B1", "B2"]
    a1, a2, b1, b2 = rows
    assert a1 == {
        "Id": "A1",
        "Unterkriterium": "Zielgruppen",
        "Wert (1–4)": "3,5",
        "Einstufung": "Stärke",
        "bewertet": 2,
        "nicht zutreffend": 0,
        "weiß nicht": 1,
        "offen": 0,
    }
    assert (a2["Wert (1–4)"], a2["Einstufung"]) == ("keine Bewertung", "–")
    assert (a2["bewertet"], a2["nicht zutreffend"], a2["weiß nicht"], a2["offen"]) == (0, 1, 0, 1)
    assert (b1["bewertet"], b1["offen"]) == (0, 2)
    assert (b2["Wert (1–4)"], b2["Einstufung"], b2["offen"]) == ("1,5", "Entwicklungsfeld", 1)


# --- the shipped default questionnaire --------------------------------------------------------


def test_default_file_all_answers_three_is_all_solid_and_no_strength(default_file):
    q = load_file(default_file)
    results = score_analysis(q, {st.id: "3" for st in q.statements()})
    assert (results.answered, results.total) == (60, 60)
    assert len(results.subscores) == 15
    assert all(s.mean == 3.0 and s.band is Band.SOLID for s in results.subscores)
    assert all(c.mean == 3.0 for c in results.criteria)
    assert results.strengths() == []
    assert len(results.solid()) == 15
    assert results.development_areas() == []
    assert not any("unbeantwortet" in line for line in summary(results))


def test_default_file_all_not_applicable_scores_nothing(default_file):
    q = load_file(default_file)
    results = score_analysis(q, {st.id: "na" for st in q.statements()})
    assert results.answered == 60
    assert len(results.unscored()) == 15
    assert all(c.mean is None for c in results.criteria)
    assert all(r["Wert (1–4)"] == "keine Bewertung" for r in table_rows(results))


def test_default_file_best_criterion_and_open_points(default_file):
    q = load_file(default_file)
    first, *rest = q.criteria
    answers = {st.id: "4" for sub in first.subcriteria for st in sub.statements}
    answers |= {st.id: "1" for crit in rest for sub in crit.subcriteria for st in sub.statements}
    last_statement = list(q.statements())[-1]
    answers[last_statement.id] = "dk"
    results = score_analysis(q, answers)
    text = " ".join(summary(results))
    assert f"„{first.title}“ am besten ab (4,0)" in text
    assert any(line.startswith("1 ") and "„weiß nicht“" in line for line in summary(results))
    assert open_points(q, answers) == [(last_statement.id, last_statement.text)]
