"""Group figures draw only what passed the anonymity rules, and say so where they cannot."""

from __future__ import annotations

import pytest

from mintqo.domain.anonymity import Withheld, gate, picture
from mintqo.domain.exports import group_rows
from mintqo.domain.histograms import contribution, histograms_of, sub_item
from mintqo.domain.scoring import score_analysis
from mintqo.figures import answer_colors, charts, group_charts


def _answers(questionnaire, value: str, skip_sub: str | None = None) -> dict[str, str]:
    return {st.id: value for sub in questionnaire.subcriteria if sub.id != skip_sub for st in sub.statements}


# k = 3: every figure needs gate(3) = 5 ratings; the message never names the small count.
FEW = "zu wenige Bewertungen für einen anonymen Vergleich (mindestens 5 nötig)"


def _group(questionnaire, a1_raters: int):
    """Six analyses (A2 rated 2, 3, 3, 4, 3, 2); only the first `a1_raters` of them rate A1."""
    answer_sets = [
        _answers(questionnaire, value, skip_sub=None if i < a1_raters else "A1")
        for i, value in enumerate(("2", "3", "3", "4", "3", "2"))
    ]
    hists = histograms_of(contribution(questionnaire, a) for a in answer_sets)
    return hists, picture(questionnaire, "Testgruppe", hists, len(answer_sets), 3)


@pytest.fixture
def group(questionnaire):
    """Six analyses; only four of them rate A1, so A1 stays below gate(3) = 5 ratings."""
    return _group(questionnaire, 4)


def test_the_withheld_message_names_the_gate_but_not_the_small_count():
    assert gate(3) == 5
    assert Withheld(0, 3).message == FEW
    assert Withheld(4, 3).message == FEW  # even a count handed in never shows


def _trace(fig, name_part):
    return next(t for t in fig.data if t.name and name_part in t.name)


def test_results_radar_draws_band_only_on_axes_above_threshold(questionnaire, group):
    _, pic = group
    results = score_analysis(questionnaire, _answers(questionnaire, "3"))
    fig = charts.radar_figure(results, pic, band_name="Workshopgruppe")
    band = _trace(fig, "mittlere 50 %")
    drawn = [t.split("</b>")[0].removeprefix("<b>") for t in band.theta]
    assert "A1" not in drawn
    assert len(drawn) == len(questionnaire.subcriteria) - 1
    median = _trace(fig, "Median")
    assert median.r[0] is None  # A1: a gap, never a guess
    assert median.r[1] == 3.0
    assert _trace(fig, "Ihr Projekt").r[0] == 3.0


def test_results_radar_draws_an_axis_rated_exactly_at_the_gate(questionnaire):
    _, pic = _group(questionnaire, 5)
    results = score_analysis(questionnaire, _answers(questionnaire, "3"))
    fig = charts.radar_figure(results, pic, band_name="Workshopgruppe")
    drawn = [t.split("</b>")[0].removeprefix("<b>") for t in _trace(fig, "mittlere 50 %").theta]
    assert "A1" in drawn and len(drawn) == len(questionnaire.subcriteria)
    assert _trace(fig, "Median").r[0] == 3.0  # A1 of 2, 3, 3, 4, 3


def test_results_radar_without_band_has_no_group_traces(questionnaire):
    results = score_analysis(questionnaire, _answers(questionnaire, "3"))
    fig = charts.radar_figure(results)
    assert not [t for t in fig.data if t.name and ("Median" in t.name or "50 %" in t.name)]


def test_criterion_figure_marks_withheld_axis_and_own_position(questionnaire, group):
    _, pic = group
    own = score_analysis(questionnaire, _answers(questionnaire, "4"))
    fig = group_charts.criterion_figure(questionnaire, pic, "A", own)
    messages = [a.text for a in fig.layout.annotations]
    assert FEW in messages
    medians = _trace(fig, "Median der Gruppe")
    assert all("A1" not in y for y in medians.y)
    mine = _trace(fig, "Sie sind hier")
    assert list(mine.x) == [4.0] * len(mine.x)


def test_statements_figure_withholds_statements_rated_by_fewer_than_the_gate(questionnaire, group):
    hists, pic = group
    views = pic.statements(questionnaire, "A1", hists)
    assert all(v.counts is None for v in views)
    fig = group_charts.statements_figure(questionnaire, views)
    assert [a.text for a in fig.layout.annotations] == [FEW] * len(views)
    views = pic.statements(questionnaire, "A2", hists)
    fig = group_charts.statements_figure(questionnaire, views, {"A2.1": "4"})
    counts = {t.name: t.x[0] for t in fig.data}
    assert counts["eher nicht"] == 2 and counts["eher zu"] == 3 and counts["trifft voll zu"] == 1
    assert any("Sie: trifft voll zu" in a.text for a in fig.layout.annotations)


def test_heatmap_leaves_withheld_rows_empty(questionnaire, group):
    hists, pic = group
    fig = group_charts.heatmap_figure(questionnaire, hists, pic)
    heat = fig.data[0]
    rows = dict(zip(heat.y, heat.z, strict=True))
    assert all(v is None for v in rows["A1.1"])
    assert rows["A2.1"][2] == pytest.approx(50.0)  # "eher zu": 3 of 6


def test_group_radar_uses_the_released_medians(questionnaire, group):
    _, pic = group
    fig = group_charts.group_radar(questionnaire, pic, scale=1.5, legend=False)
    median = _trace(fig, "Median")
    assert median.r[1] == pic.axes[sub_item("A2")].median
    assert fig.layout.showlegend is False


def test_group_export_tables_say_why_instead_of_showing_numbers_below_the_gate(questionnaire, group):
    hists, pic = group
    axes, statements = group_rows(questionnaire, pic, hists)
    by_label = {row["Kriterium"]: row for row in axes}
    a1 = by_label[questionnaire.subcriterion("A1").label]
    assert a1["Median"] == FEW and a1["unteres Quartil"] == "" and a1["oberes Quartil"] == ""
    assert a1["Analysen (n)"] != 4  # the small count of A1's ratings is never written out
    a2 = by_label[questionnaire.subcriterion("A2").label]
    assert (a2["Median"], a2["Analysen (n)"]) == ("3,0", 6)
    a1_statements = [row for row in statements if str(row["Aussage-Id"]).startswith("A1.")]
    assert a1_statements and all(row["Hinweis"] == FEW for row in a1_statements)
    assert all(row[opt.label] == "" for row in a1_statements for opt in questionnaire.scale)
    a21 = next(row for row in statements if row["Aussage-Id"] == "A2.1")
    assert a21["Hinweis"] == "" and sum(a21[opt.label] for opt in questionnaire.scale) == 6


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((answer_colors._luminance(a), answer_colors._luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_counts_on_the_slide_segments_are_readable(questionnaire, group):
    """Counts on every answer colour reach 4.5:1 (the ink, black or white, follows the segment colour)."""
    hists, pic = group
    views = pic.statements(questionnaire, "A2", hists)
    fig = group_charts.statements_figure(questionnaire, views, scale=1.3, height=group_charts.FILL)
    for trace in fig.data:
        fill, ink = trace.marker.color, trace.textfont.color
        assert _contrast(fill, ink) >= 4.5, f"{trace.name}: {ink} on {fill}"
    assert fig.layout.height is None and fig.layout.autosize  # sized by the slide, not fixed
