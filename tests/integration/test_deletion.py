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
    ReleaseMember,
    SubcriterionNote,
    WorkshopGroup,
)
from mintqo.domain import anonymity, release_plan
from mintqo.domain.histograms import contribution, histograms_of
from mintqo.domain.measures import MeasureSpec
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import (
    analyses,
    deletion,
    exports,
    group_comparisons,
    groups,
    measures,
    participation,
    release_inputs,
    releases,
    rounds,
    scopes,
)
from mintqo.services.answers import record_answer
from tests.support import group_oracle as oracle
from tests.support.projects import start_project, workshop_group

WITHDRAWN = "Das Gruppenbild wurde zurückgezogen"


def _answers(q: Questionnaire, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    return {st.id: rng.choice(("1", "2", "3", "4", "na", "dk")) for st in q.statements()}


def _project(
    session: Session,
    q: Questionnaire,
    name: str,
    join_code: str | None,
    seed: int,
    answers: Mapping[str, str] | None = None,
) -> int:
    """A submitted analysis (with a note) of a new project; returns the analysis id."""
    answers = answers if answers is not None else _answers(q, seed)
    return start_project(session, q, name, answers, join_code, note=f"Beleg von {name}").analysis_id


def _expected(q: Questionnaire, seeds: Iterable[int]) -> oracle.Hists:
    """What a first release of these projects shows: items resting on at least 2k − 1 = 5 ratings."""
    return oracle.gated(histograms_of(contribution(q, _answers(q, s), {}) for s in seeds), k=3)


def _rows(session: Session, model: type, analysis_id: int) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.analysis_id == analysis_id))


def _figure(session: Session, q: Questionnaire) -> tuple[int, int, oracle.Hists]:
    fig = scopes.scope_figure(session, scopes.region_scope("nord", q.edition))
    inst = scopes.scope_figure(session, scopes.instance_scope(q.edition))
    assert (fig.n_members, fig.n_groups, fig.hists) == (inst.n_members, inst.n_groups, inst.hists)
    return fig.n_members, fig.n_groups, oracle.plain(fig.hists)


def test_deleting_a_project_withdraws_its_release_and_leaves_every_figure(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    ids = {seed: _project(session, q, f"P{seed}", created.join_code, seed) for seed in range(5)}
    releases.release(session, created.group_id, q)
    assert _figure(session, q) == (5, 1, _expected(q, range(5)))
    code_of_gone = session.get(Analysis, ids[0]).project_id

    done = deletion.delete_data(session, ids[0], deletion.PROJECT)

    assert (done.analyses, done.projects, done.withdrawn_releases) == (1, 1, 1)
    assert "zurückgezogen" in done.message
    for model in (Answer, Rater, SubcriterionNote, Measure):
        assert _rows(session, model, ids[0]) == 0
    assert session.get(Project, code_of_gone) is None
    assert session.scalar(select(func.count()).select_from(AccessCode)) == 4
    # The group picture and the region and instance sums no longer hold it – nor anything at all.
    assert _figure(session, q) == (0, 0, {})
    rel = session.scalars(select(GroupRelease)).one()
    assert rel.withdrawn_at is not None
    assert session.scalar(select(func.count()).select_from(ReleaseHistogram)) == 0
    # What the deleted project added per item is gone from the release record as well.
    items = dict(session.execute(select(ReleaseMember.analysis_id, ReleaseMember.items)).all())
    gone = items[ids[0]]
    assert gone is None or not gone.startswith("{"), gone  # no copy of the deleted answers
    assert all(items[ids[s]].startswith("{") for s in range(1, 5))
    info = groups.group_info(session, created.group_id)
    comp = group_comparisons.comparisons(session, q, info, None)
    assert comp[group_comparisons.GROUP].picture is None
    assert comp[group_comparisons.GROUP].message.startswith(WITHDRAWN)
    with pytest.raises(ValueError):
        exports.group_workbook(comp[group_comparisons.GROUP], q)
    assert releases.latest_release(session, created.group_id) is None
    assert not any(p.in_release for p in participation.participation(session, created.group_id, q))
    (entry,) = participation.release_log(session, created.group_id)
    assert entry.withdrawn_at is not None and len(entry.joined) == 4  # the deleted one left out

    # Releasing the other four would show the old picture minus the deleted project: refused, and
    # the round never gets a new picture – not even with new projects (old minus new is still a
    # difference of the deleted answers and the new ones).
    decision = releases.release_check(session, created.group_id, q)
    assert not decision.allowed and decision.reason.startswith(
        "Das Gruppenbild dieser Runde wurde nach einer Löschung zurückgezogen"
    )
    for seed in (5, 6, 7, 8, 9):
        _project(session, q, f"P{seed}", created.join_code, seed)
    decision = releases.release_check(session, created.group_id, q)
    assert not decision.allowed and decision.n == 9 and "zurückgezogen" in decision.reason
    with pytest.raises(groups.GroupError, match="kann nicht neu"):
        releases.release(session, created.group_id, q)
    assert _figure(session, q) == (0, 0, {})
    assert group_comparisons.comparisons(session, q, info, None)[group_comparisons.GROUP].message.startswith(
        WITHDRAWN
    )


def test_deleting_one_round_keeps_the_project_and_its_other_round(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    first = _project(session, q, "A", created.join_code, 1)
    for seed in (2, 3, 4, 5):
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
    assert _figure(session, q) == (5, 1, _expected(q, (1, 2, 3, 4, 5)))
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


def _round_two(session: Session, q: Questionnaire, analysis_id: int) -> int:
    """Start the project's round 2 pre-filled (the same answers) and return its analysis id."""
    project_id = session.get(Analysis, analysis_id).project_id
    return rounds.start_next_round(session, q, q, project_id, prefill=True)


def _set_and_submit(session: Session, q: Questionnaire, analysis_id: int, changes: Mapping[str, str]) -> None:
    info = analyses.analysis_info(session, analysis_id)
    for sid, value in changes.items():
        record_answer(session, q, analysis_id, info.rater_id, sid, value)
    analyses.submit(session, analysis_id)


def test_a_new_project_reusing_a_deleted_id_counts_as_a_new_member(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    rated = {st.id: "3" for st in q.statements()}
    ids = [_project(session, q, f"P{seed}", created.join_code, seed, rated) for seed in range(5)]
    releases.release(session, created.group_id, q)
    deleted_project = session.get(Analysis, ids[-1]).project_id
    deletion.delete_data(session, ids[-1], deletion.PROJECT)
    # Same answers as the deleted project: on SQLite it may even get the same row ids.
    new = _project(session, q, "P4-neu", created.join_code, 4, rated)
    second = [_round_two(session, q, aid) for aid in [*ids[:-1], new]]
    # Three projects answer A1.1 with "weiß nicht" in round 2; the others keep their answers.
    for aid in second[:3]:
        _set_and_submit(session, q, aid, {"A1.1": "dk"})
    for aid in second[3:]:
        analyses.submit(session, aid)
    new_project = session.get(Analysis, new).project_id
    plan = releases.release_check(session, created.group_id, q, 2)
    # The new project was not in the round-1 release, whatever its row id: it is left out of round
    # 2 like any newcomer – never carried or counted as "the deleted project, changed".
    assert (plan.n, plan.left_out, plan.carried) == (4, 1, 0), plan
    assert not plan.allowed and plan.hists == {} and plan.withheld == {}
    assert plan.reason.startswith("Es sind erst 4 von mindestens 5")
    group = session.get(WorkshopGroup, created.group_id)
    cand = release_inputs.candidate(session, group, q, 2)
    assert new_project not in cand.contribs and {cand.analysis_of[p] for p in cand.contribs} == set(
        second[:4]
    )
    # The deleted one stays in the round-1 release only as deleted, under a negated id: a new
    # project with the same row id never takes its place.
    kept = session.scalars(select(ReleaseMember.project_id).where(ReleaseMember.analysis_id == ids[-1]))
    assert list(kept) == [-deleted_project] and deleted_project > 0
    # Even with enough fresh analyses, a comparison with the deleted member would withhold every
    # item: round 2 of this group can never show the deleted answers by difference.
    earlier = release_inputs.earlier_releases(session, group, cand.contribs, 2)
    assert any(c is None for rel in earlier for c in rel.values())
    one_more = {**cand.contribs, 10**6: next(iter(cand.contribs.values()))}
    forced = release_plan.plan_release(one_more, earlier, 3)
    assert not forced.allowed and forced.hists == {} and "gelöscht" in forced.reason


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
    created = workshop_group(session, q)
    ids = [_project(session, q, f"P{seed}", created.join_code, seed) for seed in range(6)]
    releases.release(session, created.group_id, q)
    deletion.delete_data(session, ids[0], deletion.PROJECT)
    # Three other projects plan a measure: round 1 stays without a picture all the same.
    for aid in ids[1:4]:
        measures.add_measure(session, q, aid, MeasureSpec("B2", "Förderantrag stellen"))
    decision = releases.release_check(session, created.group_id, q)
    assert not decision.allowed and "zurückgezogen" in decision.reason
    with pytest.raises(groups.GroupError, match="zurückgezogen"):
        releases.release(session, created.group_id, q)
    # Round 2 of the five others, answers unchanged: against the kept round-1 picture the deleted
    # analysis differs on every item (its old bins are gone) – nothing can be released.
    for aid in ids[1:]:
        analyses.submit(session, _round_two(session, q, aid))
    plan = releases.release_check(session, created.group_id, q, 2)
    assert plan.n == 5 and not plan.allowed and plan.hists == {}
    # A comparison with a deleted member withholds every item, and says why.
    assert plan.reason.startswith("Eine Initiative hat Daten gelöscht") and "kein Gruppenbild" in plan.reason
    assert plan.withheld and all(r in (anonymity.CHANGE, anonymity.FEW) for r in plan.withheld.values())
    assert all(r == anonymity.CHANGE for i, r in plan.withheld.items() if i.startswith(("u:", "c:", "d:")))
    with pytest.raises(groups.GroupError, match="Daten gelöscht"):
        releases.release(session, created.group_id, q, 2)
