"""Colours meet WCAG contrast (4.5:1 text, 3:1 graphics) and every chart has a table with its numbers."""

from __future__ import annotations

import re
import tomllib

import pytest

from mintqo.config import PROJECT_ROOT
from mintqo.domain.anonymity import picture
from mintqo.domain.histograms import contribution, histograms_of
from mintqo.domain.scoring import Band, score_analysis
from mintqo.figures import charts, group_charts
from mintqo.figures.chart_tables import figure_rows
from mintqo.ui import style

WHITE = "#ffffff"


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("band", list(Band))
def test_band_colours_carry_white_labels_and_stand_out_on_white(band):
    assert contrast(band.color, WHITE) >= 4.5, band


@pytest.mark.parametrize("value", sorted(group_charts.ANSWER_COLORS))
def test_answer_segments_carry_white_counts(value):
    assert contrast(group_charts.ANSWER_COLORS[value], WHITE) >= 4.5


@pytest.mark.parametrize(
    "colour",
    [charts.OWN_COLOR, charts.BAND_OUTLINE, charts.PREVIOUS_COLOR, charts.MEDIAN_COLOR, charts.GUIDE_COLOR],
)
def test_chart_lines_and_outlines_meet_three_to_one(colour):
    assert contrast(colour, WHITE) >= 3.0


def test_text_colours_of_the_stylesheet_and_theme_meet_four_and_a_half():
    assert contrast(style.TEXT_MUTED, WHITE) >= 4.5
    assert contrast(charts.AXIS_INK, WHITE) >= 4.5
    assert contrast(style.FOCUS, WHITE) >= 3.0
    assert contrast(style.FOCUS, "#f0f2f6") >= 3.0  # the sidebar's grey
    theme = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    for colour in [theme["textColor"], theme["linkColor"], *theme["chartCategoricalColors"]]:
        assert contrast(colour, WHITE) >= 4.5, colour


def test_the_stylesheet_stacks_columns_and_enlarges_answers_on_small_screens():
    css = style.CSS
    assert "@media (max-width: 900px)" in css
    small = css.split("@media (max-width: 900px)")[1]
    assert "flex-direction: column" in small
    assert re.search(r"min-height: 44px", small)


def test_a_radar_table_lists_every_axis_with_own_value_first(questionnaire):
    answers = {st.id: "3" for sub in questionnaire.subcriteria for st in sub.statements}
    results = score_analysis(questionnaire, answers)
    header, rows = figure_rows(charts.radar_figure(results))
    assert header == ["", "Ihr Projekt"]
    assert [row[0] for row in rows] == [s.label for s in questionnaire.subcriteria]
    assert {row[1] for row in rows} == {"3,0"}


def test_a_group_radar_table_shows_band_ranges_and_medians(questionnaire):
    sets = [{st.id: v for sub in questionnaire.subcriteria for st in sub.statements} for v in "23342"]
    hists = histograms_of(contribution(questionnaire, a) for a in sets)
    pic = picture(questionnaire, "Testgruppe", hists, len(sets), 3)
    header, rows = figure_rows(group_charts.group_radar(questionnaire, pic))
    band = next(i for i, name in enumerate(header) if name.endswith("mittlere 50 %"))
    median = next(i for i, name in enumerate(header) if name.endswith("Median"))
    assert len(rows) == len(questionnaire.subcriteria)
    assert all(re.fullmatch(r"\d,\d–\d,\d", row[band]) for row in rows), rows[:2]
    assert all(re.fullmatch(r"\d,\d", row[median]) for row in rows), rows[:2]
