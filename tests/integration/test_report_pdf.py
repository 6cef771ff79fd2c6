"""The PDF report of a real analysis: team, notes, measures, two rounds, a released workshop group,
chart images from Debian's Chromium (installed by scripts/test.sh), opened again with pypdf."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from mintqo import warmup
from mintqo.config import DEFAULT_BROWSER_PATH
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.domain.scoring import score_analysis
from mintqo.domain.workshop import GroupSpec
from mintqo.report import build_pdf, figures, images
from mintqo.services import analyses, group_comparisons, groups, measures, releases, rounds, team
from mintqo.services.answers import record_answer, save_note
from mintqo.services.demo import create_demo, create_demo_group

PROJECT = "Mädchen-Technik-Tage „Löten & Coden“"
INITIATIVE = "Schülerforschungszentrum Süd"
MEASURE = "Gespräche mit drei Schulen über Anschlussangebote führen"
NOTE = "Bedarf mit Schulen abgestimmt – Protokoll vom März, Größe der Gruppen geprüft"
GROUP = "Workshop Süd"
NOW = datetime(2026, 3, 14, 10, 0)
TODAY = date(2026, 3, 14)
VALUES = ("4", "3", "2", "3", "dk", "1", "na", "3")


def _rate(session, q, analysis_id: int, rater_id: int, values=VALUES) -> None:
    for i, st in enumerate(q.statements()):
        record_answer(session, q, analysis_id, rater_id, st.id, values[i % len(values)])


@pytest.fixture
def project(session, questionnaire):
    """Round 1 (submitted, in a released group of 5) and round 2 (submitted, better on C2)."""
    q = questionnaire
    group = groups.create_group(
        session, q, GroupSpec(GROUP, "Süd", part1=TODAY, part2=date(2026, 4, 1), part3=date(2026, 6, 1), k=3)
    )
    started = analyses.start_analysis(session, q, Profile(INITIATIVE, PROJECT, region="Süd"))
    aid = started.analysis_id
    info = analyses.analysis_info(session, aid)
    _rate(session, q, aid, info.rater_id)
    bea = team.member(session, aid, "Bea")
    _rate(session, q, aid, bea, ("3", "3", "2", "4"))
    save_note(session, q, aid, "A1", note=NOTE, action_needed=True)
    measures.add_measure(session, q, aid, MeasureSpec("C2", MEASURE, "Frau Yılmaz", date(2026, 5, 31)))
    groups.join_group(session, aid, group.join_code, TODAY)
    analyses.submit(session, aid)
    others = (("2", "2", "3"), ("4", "3", "4"), ("3", "1", "2"), ("1", "4", "3"))
    for i, values in enumerate(others):
        other = analyses.start_analysis(session, q, Profile(f"Initiative {i}", f"Projekt {i}", region="Süd"))
        other_info = analyses.analysis_info(session, other.analysis_id)
        _rate(session, q, other.analysis_id, other_info.rater_id, values)
        groups.join_group(session, other.analysis_id, group.join_code, TODAY)
        analyses.submit(session, other.analysis_id)
    releases.release(session, group.group_id, q)
    second = rounds.start_next_round(session, q, q, info.project_id, prefill=True)
    for st in q.subcriterion("C2").statements:
        for rater in team.team_view(session, q, second).raters:
            record_answer(session, q, second, rater, st.id, "4")
    measures.add_measure(session, q, second, MeasureSpec("C3", "Wirkungsziele mit Indikatoren", "Team"))
    analyses.submit(session, second)
    return aid, second


def _pdf(session, q, analysis_id: int, comparison, browser: str = DEFAULT_BROWSER_PATH):
    info = analyses.analysis_info(session, analysis_id)
    raw = build_pdf(session, q, info, comparison, load_edition=lambda _: q, browser_path=browser, now=NOW)
    reader = PdfReader(io.BytesIO(raw))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader, text


def _comparison(session, q, analysis_id: int):
    info = analyses.analysis_info(session, analysis_id)
    group = groups.group_of_analysis(session, analysis_id)
    return group_comparisons.comparisons(session, q, group, info.region, info.round)[group_comparisons.GROUP]


def test_round_two_report_has_title_page_tables_measures_changes_and_charts(session, questionnaire, project):
    _, second = project
    comparison = _comparison(session, questionnaire, second)  # round 2 is not released: no band
    assert comparison.picture is None
    reader, text = _pdf(session, questionnaire, second, comparison)
    n = len(reader.pages)
    assert 4 <= n <= 8
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {
        (595, 842)
    }  # A4
    first = " ".join(reader.pages[0].extract_text().split())
    for expected in (
        PROJECT,
        INITIATIVE,
        "Bericht zur Selbstanalyse · Runde 2",
        "14.03.2026",
        f"Ausgabe {questionnaire.edition}",
        "2 Personen haben bewertet",
        "Kein Gruppenvergleich",
        "Angebotsqualität",
        "Seite 1 von",
    ):
        assert expected in first, expected
    for expected in (
        "Profil über alle Unterkriterien",
        "Räume, Ausstattung und Material",
        "Ressourcenqualität",
        "Ergebnisqualität",
        "Stärken (ab 3,3)",
        "Ansatzpunkte: Entwicklungsfeld (unter 2,0) und ausbaufähig (2,0–2,9)",
        "Offene Punkte („weiß nicht“)",
        "Maßnahmen",
        MEASURE,
        "Frau Yılmaz",
        "31.05.2026",
        "Wirkungsziele mit Indikatoren",
        "Veränderung seit Runde 1",
        f"{MEASURE} (geplant)",  # round 1's measure as the check-in of round 2
        f"Seite {n} von {n}",
    ):
        assert expected in text, expected
    assert "mittlere 50" not in text
    assert "Die Grafiken konnten" not in text
    assert len(reader.pages[1].images) == 2  # radar and main-criteria bars, drawn by Chromium


def test_strengths_and_development_areas_follow_the_scores(session, questionnaire, project):
    first, _ = project
    info = analyses.analysis_info(session, first)
    results = score_analysis(questionnaire, team.counting_answers(session, questionnaire, first))
    _, text = _pdf(session, questionnaire, first, None)
    for s in results.strengths() + results.development_areas():
        assert s.subcriterion.label in text
    assert NOTE in text and "Handlungsbedarf" in text
    assert "Veränderung seit" not in text  # round 1 has no earlier round
    assert "Wirkungsziele mit Indikatoren" not in text  # a round-2 measure is not in round 1's report
    assert info.round == 1


def test_the_group_band_appears_only_when_a_released_comparison_is_passed(session, questionnaire, project):
    first, _ = project
    comparison = _comparison(session, questionnaire, first)
    assert comparison.picture is not None and comparison.picture.n_members == 5
    _, with_band = _pdf(session, questionnaire, first, comparison)
    label = f"Workshopgruppe „{GROUP}“"
    assert "(n = 5 Analysen)" in with_band and label in with_band
    assert "mittlere 50" in with_band and "Median" in with_band
    _, without = _pdf(session, questionnaire, first, None)
    assert label not in without and "mittlere 50" not in without
    assert "Kein Gruppenvergleich" in without


def test_without_a_browser_the_report_still_comes_with_a_german_note(session, questionnaire, project):
    first, _ = project
    reader, text = _pdf(session, questionnaire, first, None, browser="/nonexistent/chromium")
    assert "Die Grafiken konnten auf diesem Server nicht erzeugt werden" in text
    assert not any(page.images for page in reader.pages)
    assert "Alle Werte" in text and "Seite 1 von" in text


def test_a_second_report_in_the_same_process_reuses_the_browser(session, questionnaire, project):
    first, _ = project
    assert images.browser_available(DEFAULT_BROWSER_PATH), "scripts/test.sh installs Debian's chromium"
    _pdf(session, questionnaire, first, None)
    running = dict(images._renderers)
    assert running, "the first report started a browser"
    reader, _ = _pdf(session, questionnaire, first, None)
    assert len(reader.pages[1].images) == 2
    assert images._renderers == running  # the same browser, not a second start
    assert all(images._renderers[k] is v for k, v in running.items())


CRITERIA = ("A Angebotsqualität", "B Ressourcenqualität", "C Ergebnisqualität")


@pytest.mark.parametrize("values", [("3", "2"), ("dk",) * 60], ids=["two-answers", "dont-know-only"])
def test_few_ratings_keep_the_main_criteria_on_one_page_and_draw_no_empty_charts(
    session, questionnaire, project, values
):
    q = questionnaire
    started = analyses.start_analysis(session, q, Profile("Demo: Initiative", "Wenig bewertet", region="Süd"))
    info = analyses.analysis_info(session, started.analysis_id)
    for st, value in zip(q.statements(), values, strict=False):
        record_answer(session, q, started.analysis_id, info.rater_id, st.id, value)
    analyses.submit(session, started.analysis_id)
    reader, text = _pdf(session, q, started.analysis_id, None)
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    holding = [i for i, page in enumerate(pages[1:], 1) if any(c in page for c in CRITERIA)]
    assert len(holding) == 1 and all(c in pages[holding[0]] for c in CRITERIA)
    assert reader.metadata.title == "Bericht zur Selbstanalyse – Wenig bewertet (Runde 1)"
    assert reader.metadata.subject == f"Demo: Initiative · {q.title}"
    if values[0] == "dk":
        assert not any(p.images for p in reader.pages)  # no empty radar or bars
        assert "Noch keine Stärke" not in text and "Deshalb zeigt der Bericht kein Profil" in text
    else:
        assert len(reader.pages[1].images) == 2


def _lowest_line(page) -> float:
    """How far down (in pt from the top of the page) the page's text goes, header and footer aside."""
    height = float(page.mediabox.height)
    found: list[float] = []

    def visit(text, _cm, tm, _font, _size) -> None:
        if text.strip() and 50 < tm[5] < height - 42:  # the footer sits ~41 pt from the bottom
            found.append(height - tm[5])

    page.extract_text(visitor_text=visit)
    return max(found, default=0.0)


def test_the_demo_report_fills_its_title_page_and_has_no_nearly_empty_page(session, questionnaire):
    q = questionnaire
    started = create_demo(session, q)
    create_demo_group(session, q, started, TODAY)
    latest = rounds.rounds_of(session, analyses.analysis_info(session, started.analysis_id).project_id)[-1]
    reader, text = _pdf(session, q, latest.analysis_id, _comparison(session, q, latest.analysis_id))
    page_height = float(reader.pages[0].mediabox.height)
    reach = [round(_lowest_line(page) / page_height, 2) for page in reader.pages]
    assert len(reader.pages) <= 5, reach  # was 6, the last one holding a table row and a paragraph
    assert reach[0] > 0.85, reach  # the title page reaches down to its foot ("Über diesen Bericht")
    assert all(r > 0.5 for r in reach), reach  # no page ends in its upper half
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Über diesen Bericht" in first and "Auf einen Blick" in first
    assert "Veränderung seit Runde 1" in text and "C5 Kommunikation und Transparenz" in text


def test_the_warm_up_starts_the_browser_once_in_the_background_and_reports_reuse_it(
    session, questionnaire, project
):
    thread = warmup.start(DEFAULT_BROWSER_PATH)
    assert thread is not None and warmup.start(DEFAULT_BROWSER_PATH) is thread  # once per process
    thread.join(180)
    assert not thread.is_alive() and warmup.took is not None
    running = dict(images._renderers)
    assert DEFAULT_BROWSER_PATH in running, "the warm-up started Chromium"
    reader, _ = _pdf(session, questionnaire, project[0], None)
    assert len(reader.pages[1].images) == 2
    assert all(images._renderers[k] is v for k, v in running.items())  # no second browser


def test_without_a_browser_the_warm_up_only_skips_the_images():
    assert figures.warm_up("/nonexistent/chromium") >= 0  # no exception: the PDF part still warms
