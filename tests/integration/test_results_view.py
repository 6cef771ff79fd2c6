"""The results use case: page and PDF report read the same scores, notes, measures and earlier round."""

from __future__ import annotations

from mintqo.domain.scoring import open_points, score_analysis
from mintqo.report import collect
from mintqo.services import analyses, group_comparisons, groups, logins, team
from mintqo.services.demo import create_demo, create_demo_group
from mintqo.services.results_view import results_view


def _demo_round_two(session, questionnaire):  # type: ignore[no-untyped-def]
    started = create_demo(session, questionnaire)
    made = create_demo_group(session, questionnaire, started)
    analysis_id = logins.resume_with_code(session, started.code)  # the project's newest round
    return made, analyses.analysis_info(session, analysis_id)


def test_page_view_and_pdf_data_agree(session, questionnaire):
    _, info = _demo_round_two(session, questionnaire)
    assert info.round == 2
    view = results_view(session, questionnaire, info, load_edition=lambda _: questionnaire)
    chosen = view.comparison(group_comparisons.GROUP)
    data = collect(session, questionnaire, info, chosen, load_edition=lambda _: questionnaire)
    assert data.answers == view.answers == team.counting_answers(session, questionnaire, info.analysis_id)
    assert data.results == view.results == score_analysis(questionnaire, view.answers)
    assert data.notes == view.notes
    assert data.measures == view.measures and view.measures  # the demo's round-1 measures
    assert data.previous == view.previous and view.previous is not None and view.previous.round == 1
    assert list(view.open_points) == open_points(questionnaire, view.answers)
    assert data.band is not None and data.band == chosen.picture  # type: ignore[union-attr]


def test_group_figures_come_only_through_the_comparisons(session, questionnaire):
    made, info = _demo_round_two(session, questionnaire)
    view = results_view(session, questionnaire, info, load_edition=lambda _: questionnaire)
    group = groups.group_info(session, made.group_id)
    assert view.group == group
    assert view.comparisons == group_comparisons.comparisons(
        session, questionnaire, group, info.region, info.round
    )
    assert [e.n_members for e in view.release_log] == [8, 8]  # rounds 1 and 2, released once each
    assert view.wall is None  # the group does not present
    groups.set_presentation(session, made.group_id, presenting=True, slide=0)
    shown = results_view(session, questionnaire, info, load_edition=lambda _: questionnaire).wall
    assert shown is not None and shown.round == 2
    assert (
        shown.comparisons[group_comparisons.GROUP].picture
        == view.comparisons[group_comparisons.GROUP].picture
    )


def test_the_dashboards_group_only_comparison_is_the_full_calls_group_comparison(session, questionnaire):
    made, info = _demo_round_two(session, questionnaire)
    group = groups.group_info(session, made.group_id)
    for round_no in (1, 2):
        full = group_comparisons.comparisons(session, questionnaire, group, info.region, round_no)
        only = group_comparisons.comparisons(
            session, questionnaire, group, info.region, round_no, group_only=True
        )
        assert list(only) == [group_comparisons.GROUP]
        assert only[group_comparisons.GROUP] == full[group_comparisons.GROUP]
        assert only[group_comparisons.GROUP].picture is not None  # a released round: there is a figure
