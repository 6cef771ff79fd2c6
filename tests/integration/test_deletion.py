"""Deletion: a round, a project or an initiative's data leaves every table, figure and export."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mintqo.db.models import (
    AccessCode,
    Analysis,
    Answer,
    GroupRelease,
    Initiative,
    Measure,
    Project,
    Rater,
    ReleaseHistogram,
    SubcriterionNote,
)
from mintqo.domain import workshop
from mintqo.domain.benchmark import contribution, histograms_of
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import (
    analyses,
    benchmarks,
    deletion,
    exports,
    groups,
    measures,
    releases,
    rounds,
    scopes,
)

Hists = dict[str, dict[str, int]]
WITHDRAWN = "Das Gruppenbild wurde zurückgezogen"


def _plain(hists: Mapping[str, Mapping[str, int]]) -> Hists:
    out = {item: {b: c for b, c in hist.items() if c} for item, hist in hists.items()}
    return {item: hist for item, hist in out.items() if hist}


def _answers(q: Questionnaire, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {st.id: rng.choice(("1", "2", "3", "4", "na", "dk")) for st in q.statements()}


def _project(session: Session, q: Questionnaire, name: str, join_code: str | None, seed: int) -> int:
    """A submitted analysis (with a note and a measure) of a new project; returns the analysis id."""
    started = groups.start_in_group(
        session, q, Profile(f"Initiative {name}", f"Projekt {name}", region="Nord"), join_code
    )
    info = analyses.analysis_info(session, started.analysis_id)
    for sid, value in _answers(q, seed).items():
        analyses.record_answer(session, q, info.analysis_id, info.rater_id, sid, value)
    analyses.save_note(session, q, info.analysis_id, "A1", note=f"Beleg von {name}", action_needed=True)
    analyses.submit(session, info.analysis_id)
    return info.analysis_id


def _group(session: Session, q: Questionnaire) -> groups.CreatedGroup:
    spec, errors = workshop.validate_group("Workshop Nord", "Nord", None, None, None, 3)
    assert errors == {} and spec is not None
    return groups.create_group(session, q, spec)


def _expected(q: Questionnaire, seeds: Iterable[int]) -> Hists:
    return _plain(histograms_of(contribution(q, _answers(q, s), {}) for s in seeds))


def _rows(session: Session, model: type, analysis_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.analysis_id == analysis_id))


def _figure(session: Session, q: Questionnaire) -> tuple[int, int, Hists]:
    fig = scopes.scope_figure(session, scopes.region_scope("nord", q.edition))
    inst = scopes.scope_figure(session, scopes.instance_scope(q.edition))
    assert (fig.n_members, fig.n_groups, fig.hists) == (inst.n_members, inst.n_groups, inst.hists)
    return fig.n_members, fig.n_groups, _plain(fig.hists)


def test_deleting_a_project_withdraws_its_release_and_leaves_every_figure(session, questionnaire):
    q = questionnaire
    created = _group(session, q)
    ids = {seed: _project(session, q, f"P{seed}", created.join_code, seed) for seed in range(4)}
    releases.release(session, created.group_id, q)
    assert _figure(session, q) == (4, 1, _expected(q, range(4)))
    code_of_gone = session.get(Analysis, ids[0]).project_id

    done = deletion.delete_data(session, ids[0], deletion.PROJECT)

    assert (done.analyses, done.projects, done.withdrawn_releases) == (1, 1, 1)
    assert "zurückgezogen" in done.message
    for model in (Answer, Rater, SubcriterionNote, Measure):
        assert _rows(session, model, ids[0]) == 0
    assert session.get(Project, code_of_gone) is None
    assert session.scalar(select(func.count()).select_from(AccessCode)) == 3
    # The group picture and the region and instance sums no longer hold it – nor anything at all.
    assert _figure(session, q) == (0, 0, {})
    rel = session.scalars(select(GroupRelease)).one()
    assert rel.withdrawn_at is not None
    assert session.scalar(select(func.count()).select_from(ReleaseHistogram)) == 0
    info = groups.group_info(session, created.group_id)
    comp = benchmarks.comparisons(session, q, info, None)
    assert comp[benchmarks.GROUP].picture is None
    assert comp[benchmarks.GROUP].message.startswith(WITHDRAWN)
    with pytest.raises(ValueError):
        exports.group_workbook(comp[benchmarks.GROUP], q)
    assert releases.latest_release(session, created.group_id) is None
    assert not any(p.in_release for p in releases.participation(session, created.group_id, q))

    # Releasing the other three now would show the old picture minus the deleted project: refused.
    decision = releases.release_check(session, created.group_id, q)
    assert not decision.allowed and decision.changed == 1
    # Two more projects make three changes: the new picture holds exactly the remaining five.
    for seed in (4, 5):
        _project(session, q, f"P{seed}", created.join_code, seed)
    assert releases.release_check(session, created.group_id, q).allowed
    releases.release(session, created.group_id, q)
    assert _figure(session, q) == (5, 1, _expected(q, range(1, 6)))


def test_deleting_one_round_keeps_the_project_and_its_other_round(session, questionnaire):
    q = questionnaire
    created = _group(session, q)
    first = _project(session, q, "A", created.join_code, 1)
    for seed in (2, 3):
        _project(session, q, f"B{seed}", created.join_code, seed)
    project_id = session.get(Analysis, first).project_id
    second = rounds.start_next_round(session, q, q, project_id, prefill=True)
    measures.add_measure(session, q, second, MeasureSpec("A1", "Neue Experimentierkisten", "Kim"))
    assert [c.kind for c in deletion.choices(session, second)] == [deletion.ANALYSIS, deletion.PROJECT]
    releases.release(session, created.group_id, q)

    done = deletion.delete_data(session, second, deletion.ANALYSIS)

    assert (done.analyses, done.projects, done.withdrawn_releases) == (1, 0, 0)  # round 2 was never released
    assert done.message == "Gelöscht: Runde 2 von „Projekt A“, mit allen Antworten, Notizen und Maßnahmen."
    assert session.get(Analysis, second) is None
    assert session.get(Analysis, first) is not None
    assert session.scalar(select(func.count()).select_from(Measure)) == 0  # made in round 2
    assert _figure(session, q) == (3, 1, _expected(q, (1, 2, 3)))
    # The code now opens round 1, the only one left, and offers no round deletion any more.
    assert [c.kind for c in deletion.choices(session, first)] == [deletion.PROJECT]


def test_deleting_all_data_of_an_initiative_removes_every_project(session, questionnaire):
    q = questionnaire
    first = _project(session, q, "A", None, 1)
    initiative_id = session.get(Analysis, first).project.initiative_id
    other = Project(initiative_id=initiative_id, name="Ferienakademie")
    session.add(other)
    session.flush()
    session.add(Analysis(project_id=other.id, edition=q.edition))
    keep = _project(session, q, "B", None, 2)
    session.commit()
    kinds = [c.kind for c in deletion.choices(session, first)]
    assert kinds == [deletion.PROJECT, deletion.INITIATIVE]

    done = deletion.delete_data(session, first, deletion.INITIATIVE)

    assert (done.analyses, done.projects) == (2, 2)
    assert done.message.startswith("Gelöscht: alle Daten von „Initiative A“ (2 Projekte, 2 Runden)")
    assert session.get(Initiative, initiative_id) is None
    assert session.scalar(select(func.count()).select_from(Project).where(Project.id == other.id)) == 0
    assert [a.id for a in session.scalars(select(Analysis))] == [keep]
    with pytest.raises(deletion.DeletionError):
        deletion.delete_data(session, first, deletion.PROJECT)


def test_a_new_project_reusing_a_deleted_id_counts_as_a_new_member(session, questionnaire):
    q = questionnaire
    created = _group(session, q)
    ids = [_project(session, q, f"P{seed}", created.join_code, seed) for seed in range(4)]
    releases.release(session, created.group_id, q)
    deleted_project = session.get(Analysis, ids[-1]).project_id
    deletion.delete_data(session, ids[-1], deletion.PROJECT)
    # Same answers as the deleted project: on SQLite it may even get the same row ids.
    _project(session, q, "P3-neu", created.join_code, 3)
    _project(session, q, "P4", created.join_code, 4)
    decision = releases.release_check(session, created.group_id, q)
    # Deleted one, two new ones: three changes, never "one unchanged plus one new".
    assert decision.allowed and decision.changed == 3, decision
    assert deleted_project > 0


def test_confirmation_must_match_the_shown_word(session, questionnaire):
    aid = _project(session, questionnaire, "A", None, 1)
    (scope,) = deletion.choices(session, aid)
    assert scope.confirm_word == "Projekt A"
    assert deletion.confirmed(scope, "  projekt a ")
    assert not deletion.confirmed(scope, "Projekt")
    assert not deletion.confirmed(scope, "")
    with pytest.raises(deletion.DeletionError):
        deletion.delete_data(session, aid, "everything")
    assert session.get(Analysis, aid) is not None


def test_new_measures_elsewhere_never_uncover_a_deleted_analysis(session, questionnaire):
    q = questionnaire
    created = _group(session, q)
    ids = [_project(session, q, f"P{seed}", created.join_code, seed) for seed in range(5)]
    releases.release(session, created.group_id, q)
    deletion.delete_data(session, ids[0], deletion.PROJECT)
    # Three other projects plan a measure: four projects changed, but the answers of only one –
    # the new picture's answer histograms minus the old ones would be the deleted analysis.
    for aid in ids[1:4]:
        measures.add_measure(session, q, aid, MeasureSpec("B2", "Förderantrag stellen"))
    decision = releases.release_check(session, created.group_id, q)
    assert not decision.allowed and decision.changed == 4
    assert "unterscheiden sich die Antworten erst bei einer Selbstanalyse" in decision.reason
    with pytest.raises(groups.GroupError, match="die Antworten erst bei einer"):
        releases.release(session, created.group_id, q)
    # Two more submitted projects change the answers by three analyses: allowed again.
    for seed in (5, 6):
        _project(session, q, f"P{seed}", created.join_code, seed)
    assert releases.release_check(session, created.group_id, q).allowed
