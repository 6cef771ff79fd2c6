"""The attack classes of docs/privacy.md, driven through the real services.

Every test plays the attacker: colluding projects who know their own answers, a facilitator with
the join code and sock puppets, someone keeping every figure over time. What the attacker gets is
read only from what a role sees – `group_comparisons.comparisons` (the GroupPicture and its per-statement
drill-down), the group exports, `participation.participation`, `participation.release_log` – never from the
answers table. The answers each test wrote are known to the test, which is how it checks that no
shown figure rests on fewer than k answers besides the colluders' own.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Mapping

import pytest
import yaml
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from mintqo.config import DEFAULT_QUESTIONNAIRE_DIR
from mintqo.domain import anonymity
from mintqo.domain.anonymity import CHANGE, FEW, Withheld
from mintqo.domain.histograms import AxisStat, criterion_item, dont_know_item, statement_item, sub_item
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.questionnaire_validation import parse_questionnaire
from mintqo.services import (
    analyses,
    deletion,
    exports,
    group_comparisons,
    groups,
    participation,
    releases,
    rounds,
)
from mintqo.services.answers import record_answer
from tests.support.projects import Proj, start_project, workshop_group

K = 3
GATE = 2 * K - 1  # 5: what every shown figure rests on
RATINGS = ("1", "2", "3", "4")
FROZEN = "bereits freigegeben"
WITHDRAWN = "Das Gruppenbild wurde zurückgezogen"


# --- building groups through the services ----------------------------------------------------------------


def _rated(q: Questionnaire, i: int) -> dict[str, str]:
    """A rating for every statement, varied per project and statement."""
    return {st.id: RATINGS[(i + n) % 4] for n, st in enumerate(q.statements())}


def _members(session: Session, q: Questionnaire, join_code: str, n: int, prefix: str = "P") -> list[Proj]:
    return [start_project(session, q, f"{prefix}{i}", _rated(q, i), join_code) for i in range(n)]


def _released_group(session: Session, q: Questionnaire, n: int) -> tuple[groups.CreatedGroup, list[Proj]]:
    """A new group of n rated members whose round-1 picture is released."""
    created = workshop_group(session, q)
    members = _members(session, q, created.join_code, n)
    releases.release(session, created.group_id, q)
    return created, members


def _change(session: Session, q: Questionnaire, p: Proj, changes: Mapping[str, str]) -> None:
    """Reopen, change answers and submit again (what a colluder or a puppet does)."""
    analyses.reopen(session, p.analysis_id)
    for sid, value in changes.items():
        record_answer(session, q, p.analysis_id, p.rater_id, sid, value)
        p.answers[sid] = value
    analyses.submit(session, p.analysis_id)


def _next_round(session: Session, q: Questionnaire, p: Proj) -> Proj:
    new_id = rounds.start_next_round(session, q, q, p.project_id, prefill=True)
    info = analyses.analysis_info(session, new_id)
    return dataclasses.replace(p, analysis_id=new_id, rater_id=info.rater_id, answers=dict(p.answers))


def _set(session: Session, q: Questionnaire, p: Proj, changes: Mapping[str, str]) -> None:
    for sid, value in changes.items():
        record_answer(session, q, p.analysis_id, p.rater_id, sid, value)
        p.answers[sid] = value


def _view(session: Session, q: Questionnaire, group_id: int, round_no: int = 1) -> dict:
    """Every comparison a member (or the facilitator) of the group sees."""
    return group_comparisons.comparisons(session, q, groups.group_info(session, group_id), None, round_no)


# --- what the attacker reads --------------------------------------------------------------------------------


def _drill_down(
    q: Questionnaire, comparison: group_comparisons.Comparison
) -> dict[str, anonymity.StatementView]:
    pic = comparison.picture
    assert pic is not None
    return {v.statement_id: v for sub in q.subcriteria for v in pic.statements(q, sub.id, comparison.hists)}


def _own_ratings(sid: str, known: Iterable[Proj]) -> int:
    return sum(1 for p in known if p.answers.get(sid) in RATINGS)


def _assert_k_unknown(q: Questionnaire, comparison: group_comparisons.Comparison, known: list[Proj]) -> None:
    """Whatever is shown, minus what the colluders know, still rests on at least k ratings."""
    for sid, view in _drill_down(q, comparison).items():
        if view.counts is not None:
            assert sum(view.counts[b] for b in RATINGS) - _own_ratings(sid, known) >= K, sid


def _sheet(raw: bytes, title: str) -> list[dict[str, object]]:
    rows = list(load_workbook(io.BytesIO(raw), read_only=True)[title].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _csv(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def _no_small_count(text: str, g: int = GATE) -> None:
    """A withheld figure's message names the gate, never the small count behind it."""
    numbers = {int(t) for t in "".join(c if c.isdigit() else " " for c in text).split()}
    assert numbers <= {g}, text


# --- 1. n = k ---------------------------------------------------------------------------------------------


def test_1_a_group_of_k_gets_no_picture(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    _members(session, q, created.join_code, K)
    plan = releases.release_check(session, created.group_id, q)
    assert not plan.allowed and plan.n == K and plan.hists == {}
    assert "mindestens 5" in plan.reason
    with pytest.raises(groups.GroupError, match="mindestens 5"):
        releases.release(session, created.group_id, q)
    out = _view(session, q, created.group_id)
    assert all(c.picture is None and c.hists == {} for c in out.values())
    assert out[group_comparisons.GROUP].message == anonymity.too_few(K, K)
    assert "mindestens 5" in out[group_comparisons.GROUP].message


def test_1_two_colluders_at_n_5_are_left_with_k_unknown_ratings_everywhere(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    thin = {st.statements[-1].id for st in q.subcriteria}  # rated by 3 of the 5 only
    projects = []
    for i in range(GATE):
        answers = _rated(q, i)
        if i in (2, 3):
            answers |= {sid: ("na" if i == 2 else "dk") for sid in thin}
        projects.append(start_project(session, q, f"P{i}", answers, created.join_code))
    colluders = projects[:2]
    releases.release(session, created.group_id, q)
    group = _view(session, q, created.group_id)[group_comparisons.GROUP]
    assert group.picture is not None and group.picture.n_members == GATE

    views = _drill_down(q, group)
    _assert_k_unknown(q, group, colluders)
    for sid, view in views.items():
        if sid in thin:
            # Three ratings: the colluders would be left with one. Withheld, without the count.
            assert view.counts is None and view.withheld.reason == FEW
            _no_small_count(view.withheld.message)
            assert statement_item(sid) not in group.hists
        else:
            assert view.counts is not None and sum(view.counts[b] for b in RATINGS) == GATE
    # Every axis the colluders see rests on five scored analyses, three of them unknown.
    for item, axis in group.picture.axes.items():
        assert isinstance(axis, AxisStat) and axis.n == GATE, item

    # The export says the same, and no more.
    rows = _sheet(exports.group_workbook(group, q), "Aussagen")
    labels = [opt.label for opt in q.scale if opt.value in RATINGS]
    for row in rows:
        sid = row["Aussage-Id"]
        if sid in thin:
            assert all(row[label] in ("", None) for label in labels) and row["Hinweis"]
            _no_small_count(str(row["Hinweis"]))
        else:
            assert sum(int(row[label]) for label in labels) - _own_ratings(sid, colluders) >= K
    for row in _csv(exports.group_csv(group, q)):
        assert int(row["Analysen (n)"]) in (0, GATE)


# --- 2. deletion, then a re-release ------------------------------------------------------------------------


def test_2_a_round_withdrawn_after_a_deletion_is_never_released_again(session, questionnaire):
    q = questionnaire
    created, projects = _released_group(session, q, 7)
    gid = created.group_id
    kept = _view(session, q, gid)[group_comparisons.GROUP]  # the attacker keeps the old picture
    assert kept.picture is not None

    deletion.delete_data(session, projects[6].analysis_id, deletion.PROJECT)
    a, b = projects[0], projects[1]
    _change(session, q, a, {"A1.1": "1" if a.answers["A1.1"] != "1" else "4"})
    _change(session, q, b, {"B1.1": "1" if b.answers["B1.1"] != "1" else "4"})

    plan = releases.release_check(session, gid, q)
    assert not plan.allowed and plan.hists == {} and "zurückgezogen" in plan.reason
    with pytest.raises(groups.GroupError, match="kann nicht neu"):
        releases.release(session, gid, q)
    out = _view(session, q, gid)
    group = out[group_comparisons.GROUP]
    assert group.picture is None and group.hists == {} and group.message.startswith(WITHDRAWN)
    for kind in (group_comparisons.REGION, group_comparisons.INSTANCE):
        assert out[kind].picture is None and out[kind].hists == {}  # taken out of the sums as well
    with pytest.raises(ValueError):
        exports.group_workbook(group, q)
    with pytest.raises(ValueError):
        exports.group_csv(group, q)
    # More projects joining does not bring the round back either.
    _members(session, q, created.join_code, 3, prefix="N")
    assert "zurückgezogen" in releases.release_check(session, gid, q).reason
    (entry,) = participation.release_log(session, gid)
    assert entry.withdrawn_at is not None and entry.n_members == 7


# --- 3. facilitator with sock puppets ----------------------------------------------------------------------


def test_3_one_real_project_and_two_sock_puppets_get_no_picture(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    gid = created.group_id
    real = start_project(session, q, "Echt", _rated(q, 0), created.join_code)
    # The facilitator holds the join code and makes two puppets of their own.
    puppets = [start_project(session, q, f"Puppe {i}", _rated(q, i), created.join_code) for i in (1, 2)]
    plan = releases.release_check(session, gid, q)
    assert not plan.allowed and plan.n == 3 and "3 von mindestens 5" in plan.reason
    with pytest.raises(groups.GroupError, match="mindestens 5"):
        releases.release(session, gid, q)
    assert _view(session, q, gid)[group_comparisons.GROUP].picture is None

    rows = participation.participation(session, gid, q)
    assert {r.analysis_id for r in rows} == {real.analysis_id, *(p.analysis_id for p in puppets)}
    for row in rows:
        assert not hasattr(row, "answered") and not hasattr(row, "total")
        assert (row.started, row.submitted, row.in_release) == (True, True, False)
    assert participation.release_log(session, gid) == []


def test_3_sock_puppets_show_in_the_release_log(session, questionnaire):
    q = questionnaire
    created, projects = _released_group(session, q, GATE)
    gid = created.group_id
    (entry,) = participation.release_log(session, gid)
    assert (entry.seq, entry.round, entry.n_members, entry.withdrawn_at) == (1, 1, GATE, None)
    # Every member sees when the analyses behind the picture joined the group.
    assert len(entry.joined) == len(projects) and list(entry.joined) == sorted(entry.joined)


# --- 4. per-item differences with puppets' changes ----------------------------------------------------------


def test_4_changes_after_a_release_never_get_a_second_picture_of_the_round(session, questionnaire):
    q = questionnaire
    created, projects = _released_group(session, q, 6)
    gid = created.group_id
    before = _view(session, q, gid)[group_comparisons.GROUP]

    victim, puppet1, puppet2 = projects[0], projects[4], projects[5]
    _change(session, q, victim, {"A1.1": "na", "A1.2": "dk"})
    _change(session, q, puppet1, {"B1.1": "1", "B1.2": "1"})
    _change(session, q, puppet2, {"C1.1": "4"})

    plan = releases.release_check(session, gid, q)
    assert not plan.allowed and FROZEN in plan.reason and plan.hists == {}
    with pytest.raises(groups.GroupError, match=FROZEN):
        releases.release(session, gid, q)
    after = _view(session, q, gid)[group_comparisons.GROUP]
    assert after.hists == before.hists and after.picture == before.picture
    assert [e.seq for e in participation.release_log(session, gid)] == [1]


# --- 5. what counts towards the gate ------------------------------------------------------------------------


def test_5_na_and_dk_do_not_count_for_statements_or_axes(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    gid = created.group_id
    a1 = q.subcriterion("A1")
    mostly_na = "B1.1"
    for i in range(6):
        answers = _rated(q, i)
        answers[mostly_na] = answers[mostly_na] if i < 2 else ("na" if i % 2 else "dk")
        if i < 4:  # four of six have no rating in A1 at all
            answers |= {st.id: ("na" if i % 2 else "dk") for st in a1.statements}
        start_project(session, q, f"P{i}", answers, created.join_code)
    releases.release(session, gid, q)
    group = _view(session, q, gid)[group_comparisons.GROUP]
    pic = group.picture
    assert pic is not None and pic.n_members == 6

    views = _drill_down(q, group)
    # Six analyses, but two ratings: withheld, though "na"/"dk" would make six answers.
    assert views[mostly_na].counts is None and views[mostly_na].withheld.reason == FEW
    for st in a1.statements:
        assert views[st.id].counts is None and views[st.id].withheld.reason == FEW
    # The sub-criterion rests on two scores: its axis is withheld like its statements.
    assert isinstance(pic.axis(sub_item("A1")), Withheld)
    assert pic.axis(sub_item("A1")).reason == FEW
    for item in (sub_item("A1"), statement_item(mostly_na)):
        assert item not in group.hists
    # Drill-down and axis agree everywhere: a shown axis has a shown statement behind it.
    for sub in q.subcriteria:
        shown = [st.id for st in sub.statements if views[st.id].counts is not None]
        assert isinstance(pic.axis(sub_item(sub.id)), AxisStat) == bool(shown), sub.id
    # The "weiß nicht" total of A1 is a sum over all six analyses: shown, and so is main criterion A.
    assert dont_know_item("A1") in group.hists and "A1" in pic.dont_know
    assert isinstance(pic.axis(criterion_item("A")), AxisStat)


# --- 6. across scopes ---------------------------------------------------------------------------------------


def test_6_region_minus_own_group_never_exposes_a_withheld_item(session, questionnaire):
    q = questionnaire
    small_item = "B2.1"
    sid_item = statement_item(small_item)
    g1 = workshop_group(session, q, "Workshop Nord 1")
    for i in range(GATE):
        answers = _rated(q, i)
        if i >= 2:
            answers[small_item] = "na"
        start_project(session, q, f"G1-{i}", answers, g1.join_code)
    releases.release(session, g1.group_id, q)
    out = _view(session, q, g1.group_id)
    own = out[group_comparisons.GROUP]
    assert _drill_down(q, own)[small_item].counts is None and sid_item not in own.hists
    region = out[group_comparisons.REGION]
    assert region.picture is not None and sid_item not in region.hists
    assert _drill_down(q, region)[small_item].counts is None

    g2 = workshop_group(session, q, "Workshop Nord 2", " nord ")
    others = [start_project(session, q, f"G2-{i}", _rated(q, i + 1), g2.join_code) for i in range(GATE)]
    releases.release(session, g2.group_id, q)
    out = _view(session, q, g1.group_id)
    own, region = out[group_comparisons.GROUP], out[group_comparisons.REGION]
    assert region.picture is not None and region.picture.n_members == 2 * GATE
    # The region's figure of the item is group 2's alone: region minus own group is nothing of G1's.
    g2_counts = {b: sum(1 for p in others if p.answers[small_item] == b) for b in RATINGS}
    assert {b: c for b, c in region.hists[sid_item].items() if c} == {b: c for b, c in g2_counts.items() if c}
    view = _drill_down(q, region)[small_item]
    assert view.counts is not None and {b: view.counts[b] for b in RATINGS} == g2_counts
    assert sid_item not in own.hists
    # Every other region item is exactly the sum of both groups' shown items.
    g2_view = _view(session, q, g2.group_id)[group_comparisons.GROUP]
    for item, hist in region.hists.items():
        merged = {b: own.hists.get(item, {}).get(b, 0) + g2_view.hists.get(item, {}).get(b, 0) for b in hist}
        assert merged == hist, item


# --- 7. round 2 against round 1 -----------------------------------------------------------------------------


def _other(value: str) -> str:
    return "1" if value != "1" else "4"


def test_7_round_two_with_the_same_projects_shows_changes_of_unknown_projects(session, questionnaire):
    """R3 (docs/privacy.md): against a release of exactly the same projects a difference only says
    that one of at least k unknown projects changed – the round-2 picture is released as is."""
    q = questionnaire
    created, r1 = _released_group(session, q, GATE)
    gid = created.group_id
    r2 = [_next_round(session, q, p) for p in r1]
    changed = "C2.2"
    _set(session, q, r2[3], {changed: _other(r2[3].answers[changed])})
    for p in r2:
        analyses.submit(session, p.analysis_id)
    plan = releases.release_check(session, gid, q, 2)
    assert plan.allowed and CHANGE not in plan.withheld.values()
    releases.release(session, gid, q, 2)
    group = _view(session, q, gid, 2)[group_comparisons.GROUP]
    views = _drill_down(q, group)
    assert all(v.counts is not None for v in views.values())
    _assert_k_unknown(q, group, r2[:2])
    # The single change is shown: round 2 minus round 1 moves one rating of C2.2, nothing else.
    round1 = _view(session, q, gid, 1)[group_comparisons.GROUP]
    before, after = _drill_down(q, round1)[changed].counts, views[changed].counts
    assert {b: after[b] - before[b] for b in RATINGS if after[b] != before[b]} == {
        r2[3].answers[changed]: 1,
        r1[3].answers[changed]: -1,
    }
    # Who is in both pictures is the same for everyone: five analyses each, in the release log.
    log = participation.release_log(session, gid)
    assert [(e.round, e.n_members) for e in log] == [(1, GATE), (2, GATE)]


def _new_edition(q: Questionnaire) -> Questionnaire:
    """The same questionnaire as a newer edition: a project's next round leaves its workshop group."""
    data = yaml.safe_load((DEFAULT_QUESTIONNAIRE_DIR / f"{q.edition}.yaml").read_text(encoding="utf-8"))
    return parse_questionnaire({**data, "edition": f"{q.edition}-neu"})


NOTHING_LEFT = "Kein Wert erreicht die Anonymitätsschwelle."


def test_7_round_two_with_a_project_missing_carries_it_with_its_released_state(session, questionnaire):
    """R3: the projects stay the same – one without a round-2 analysis is counted with what round
    1 showed of it, so round 2 minus round 1 is only the fresh analyses' (anonymous) changes."""
    q = questionnaire
    created, r1 = _released_group(session, q, 6)
    gid = created.group_id
    round1 = _view(session, q, gid, 1)[group_comparisons.GROUP]
    r2 = [_next_round(session, q, p) for p in r1[:5]]  # P5 does not take part in round 2
    _set(session, q, r2[0], {"C2.2": _other(r2[0].answers["C2.2"])})
    for p in r2:
        analyses.submit(session, p.analysis_id)
    plan = releases.release_check(session, gid, q, 2)
    assert plan.allowed and plan.n == 6 and plan.carried == 1 and plan.withheld == {}
    assert not plan.membership_differs
    releases.release(session, gid, q, 2)
    group = _view(session, q, gid, 2)[group_comparisons.GROUP]
    assert group.picture is not None and group.picture.n_members == 6
    assert "1 davon mit Stand Runde 1" in group.label
    # Round 2 minus round 1: one rating of C2.2 moved, nothing else – P5's answers are in both.
    for item, hist in group.hists.items():
        before = round1.hists[item]
        moved = sum(abs(hist.get(b, 0) - before.get(b, 0)) for b in hist.keys() | before.keys())
        assert moved == (2 if item == statement_item("C2.2") else 0) or not item.startswith("s:"), item


def test_7_a_new_editions_group_without_company_for_a_leaver_is_refused(session, questionnaire):
    """R3 when the projects differ: round 2 in a new edition's group, against the old group's
    round-1 release without P5. Every item whose touched cells lack company is withheld; with
    nothing left the release is refused – and one statement all five moved together is shown."""
    q1 = questionnaire
    old = workshop_group(session, q1, "Workshop Nord 2026")
    together = "B3.1"
    r1 = []
    for i in range(6):
        r1.append(start_project(session, q1, f"P{i}", {**_rated(q1, i), together: "2"}, old.join_code))
    releases.release(session, old.group_id, q1, 1)
    q2 = _new_edition(q1)
    new = workshop_group(session, q2, "Workshop Nord 2027")
    r2 = []
    for p in r1[:5]:  # P5 does not take part in round 2
        new_id = rounds.start_next_round(session, q2, q1, p.project_id, prefill=True)
        groups.join_group(session, new_id, new.join_code)
        info = analyses.analysis_info(session, new_id)
        r2.append(dataclasses.replace(p, analysis_id=new_id, rater_id=info.rater_id, answers=dict(p.answers)))
    for p in r2:
        analyses.submit(session, p.analysis_id)
    gid = new.group_id

    # P5's old bin stands alone in every cell: nothing may be shown.
    plan = releases.release_check(session, gid, q2, 2)
    assert not plan.allowed and plan.reason == NOTHING_LEFT and plan.hists == {}
    assert plan.membership_differs and set(plan.withheld.values()) == {CHANGE}
    with pytest.raises(groups.GroupError, match=NOTHING_LEFT):
        releases.release(session, gid, q2, 2)
    view = _view(session, q2, gid, 2)[group_comparisons.GROUP]  # what a member sees: no picture
    assert view.picture is None and view.hists == {}
    assert view.message == "Die Moderation hat das Gruppenbild noch nicht freigegeben."

    # All five move B3.1 from "2" to "4": cell "2" is touched by six, cell "4" by five.
    for p in r2:
        _change(session, q2, p, {together: "4"})
    plan = releases.release_check(session, gid, q2, 2)
    assert plan.allowed and set(plan.hists) == {statement_item(together)}
    releases.release(session, gid, q2, 2)
    group = _view(session, q2, gid, 2)[group_comparisons.GROUP]
    views = _drill_down(q2, group)
    assert views[together].counts is not None and views[together].counts["4"] == GATE
    for sid, view in views.items():
        if sid != together:
            assert view.counts is None and view.withheld.reason == CHANGE, sid
            assert "früheren Runde" in view.withheld.message
            _no_small_count(view.withheld.message)
    for item, axis in group.picture.axes.items():
        assert isinstance(axis, Withheld) and axis.reason == CHANGE, item


def test_7_a_deleted_round_one_withholds_every_item_of_round_two(session, questionnaire):
    """R3, deletion: P5 deletes its round-1 analysis after starting round 2. Round 1 is withdrawn;
    its old bins are gone, so no cover in round 2 can be vouched for: nothing is shown."""
    q = questionnaire
    created, r1 = _released_group(session, q, 6)
    gid = created.group_id
    r2 = [_next_round(session, q, p) for p in r1]
    for p in r2:
        analyses.submit(session, p.analysis_id)
    deletion.delete_data(session, r1[5].analysis_id, deletion.ANALYSIS)
    assert _view(session, q, gid, 1)[group_comparisons.GROUP].message.startswith(WITHDRAWN)

    plan = releases.release_check(session, gid, q, 2)
    assert not plan.allowed and plan.hists == {} and plan.membership_differs
    assert set(plan.withheld.values()) == {CHANGE}
    assert "gelöscht" in plan.reason and "kein Gruppenbild" in plan.reason
    with pytest.raises(groups.GroupError, match="gelöscht"):
        releases.release(session, gid, q, 2)
    out = _view(session, q, gid, 2)
    assert out[group_comparisons.GROUP].picture is None and out[group_comparisons.GROUP].hists == {}
    for kind in (group_comparisons.REGION, group_comparisons.INSTANCE):
        assert out[kind].picture is None and out[kind].hists == {}


def _regrouped(session: Session, q1: Questionnaire, q2: Questionnaire, p: Proj, join_code: str) -> Proj:
    """The project's next round on the new edition, in the new edition's group of `join_code`."""
    new_id = rounds.start_next_round(session, q2, q1, p.project_id, prefill=True)
    groups.join_group(session, new_id, join_code)
    info = analyses.analysis_info(session, new_id)
    return dataclasses.replace(p, analysis_id=new_id, rater_id=info.rater_id, answers=dict(p.answers))


def _round_sums_scenario(session: Session, q1: Questionnaire):
    """Round 1: groups A = {P0–P4} and B = {P5, P6, P8–P12} in region Nord, both released; P7
    joins B after its release. Round 2 on a new edition, regrouped: C = {P0, P1, P5, P7, P9, P10},
    D = {P2, P3, P6, P8, P11, P12}; P4 left. Everyone answers "3", P7 "weiß nicht" on A1.1; in
    round 2 the five continuing projects of C and P7 rate B1.1 "4"."""
    a, b = workshop_group(session, q1, "Workshop A"), workshop_group(session, q1, "Workshop B")
    threes = {st.id: "3" for st in q1.statements()}
    r1 = {i: start_project(session, q1, f"P{i}", threes, a.join_code) for i in range(5)}
    r1 |= {i: start_project(session, q1, f"P{i}", threes, b.join_code) for i in (5, 6, 8, 9, 10, 11, 12)}
    releases.release(session, a.group_id, q1, 1)
    releases.release(session, b.group_id, q1, 1)
    r1[7] = start_project(session, q1, "P7", {**threes, "A1.1": "dk"}, b.join_code)  # in no round-1 picture
    q2 = _new_edition(q1)
    c, d = workshop_group(session, q2, "Workshop C"), workshop_group(session, q2, "Workshop D")
    for i in (0, 1, 5, 7, 9, 10):
        p = _regrouped(session, q1, q2, r1[i], c.join_code)
        _set(session, q2, p, {"B1.1": "4"})
        analyses.submit(session, p.analysis_id)
    for i in (2, 3, 6, 8, 11, 12):
        analyses.submit(session, _regrouped(session, q1, q2, r1[i], d.join_code).analysis_id)
    return q2, a.group_id, c.group_id, d.group_id


@pytest.mark.parametrize("c_first", [True, False], ids=["C-then-D", "D-then-C"])
def test_7_the_sum_of_a_regrouped_round_never_leaves_a_leaver_and_a_joiner(session, questionnaire, c_first):
    """R3 over sums: C and D each pass against A, B and their union, but C + D (the region of
    round 2) minus A + B (the region of round 1) holds the same projects but for leaver P4 and
    joiner P7. The second of C and D compares that sum too and withholds what it would expose."""
    q2, _, c, d = _round_sums_scenario(session, questionnaire)
    first, second = (c, d) if c_first else (d, c)
    alone = releases.release_check(session, second, q2, 2)  # no release of round 2 yet: no sums
    assert alone.allowed and alone.membership_differs
    releases.release(session, first, q2, 2)
    plan = releases.release_check(session, second, q2, 2)
    assert plan.allowed and plan.membership_differs
    # Only B1.1 (and what it moves: B1's and B's scores) has company next to P4 and P7: five
    # continuing projects moved "3" → "4" with them.
    assert statement_item("B1.1") in plan.hists
    assert set(plan.hists) < set(alone.hists) and set(plan.hists) <= {
        statement_item("B1.1"),
        sub_item("B1"),
        criterion_item("B"),
    }
    exposed = set(alone.hists) - set(plan.hists)
    assert {statement_item("A2.1"), sub_item("C1"), dont_know_item("B1")} <= exposed
    assert all(plan.withheld[i] == CHANGE for i in exposed)
    releases.release(session, second, q2, 2)
    view = _view(session, q2, second, 2)[group_comparisons.GROUP]
    assert view.picture is not None and view.picture.n_members == 6
    assert isinstance(view.picture.axis(sub_item("C1")), Withheld)
    assert _drill_down(q2, view)["B1.1"].counts is not None
    assert _drill_down(q2, view)["A2.1"].withheld == Withheld(0, K, CHANGE)
    # Region round 2 (C + D): an exposed item rests on the first group's part alone.
    region = _view(session, q2, second, 2)[group_comparisons.REGION]
    assert region.hists[statement_item("A2.1")].get("3") == 6


def test_7_without_round_sums_the_region_difference_is_the_leaver_and_the_joiner(
    session, questionnaire, monkeypatch
):
    """Negative control: with `round_sums` switched off, the second release shows A2.1 and the
    region sums of the two rounds differ on it by P4 (left) and P7 (joined) alone."""
    monkeypatch.setattr(releases.release_inputs, "round_sums", lambda *_: [])
    q1 = questionnaire
    q2, a, c, d = _round_sums_scenario(session, q1)
    releases.release(session, c, q2, 2)
    releases.release(session, d, q2, 2)
    item = statement_item("A2.1")
    assert item in releases.release_histograms(session, releases.latest_release(session, d, 2).id)
    region1 = _view(session, q1, a, 1)[group_comparisons.REGION]
    region2 = _view(session, q2, d, 2)[group_comparisons.REGION]
    # 12 projects in both; everyone but P4 (left) and P7 (joined) is in both sums with the same
    # rating, so region 2 minus region 1 on A2.1 is P7's rating minus P4's.
    assert region1.picture.n_members == region2.picture.n_members == 12
    assert region1.hists[item] == region2.hists[item]


# --- 8. progress --------------------------------------------------------------------------------------------


def test_8_participation_shows_status_not_progress(session, questionnaire):
    q = questionnaire
    created = workshop_group(session, q)
    gid = created.group_id
    statements = [st.id for st in q.statements()]
    almost = start_project(
        session, q, "Fast", {sid: "3" for sid in statements[:-2]}, created.join_code, submit=False
    )
    barely = start_project(session, q, "Kaum", {statements[0]: "3"}, created.join_code, submit=False)
    idle = start_project(session, q, "Nichts", {}, created.join_code, submit=False)
    done = start_project(session, q, "Fertig", _rated(q, 0), created.join_code)

    fields = {f.name for f in dataclasses.fields(participation.Participant)}
    assert "answered" not in fields and "total" not in fields
    rows = {r.analysis_id: r for r in participation.participation(session, gid, q)}
    for row in rows.values():
        assert not hasattr(row, "answered") and not hasattr(row, "total")

    def status(p: Proj) -> tuple:
        r = rows[p.analysis_id]
        return (r.started, r.submitted, r.submitted_at is not None, r.in_release, r.round)

    # 58 of 60 answered and 1 of 60 answered look the same: "in progress".
    assert status(almost) == status(barely) == (True, False, False, False, 1)
    assert status(idle) == (False, False, False, False, 1)
    assert status(done) == (True, True, True, False, 1)
