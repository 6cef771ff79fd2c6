"""Workshop groups end to end: codes, logins, joining, participation, releases, scopes, comparisons."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import random
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, inspect, select, text, update
from sqlalchemy.orm import Session

from alembic import command
from mintqo.db.engine import alembic_config, make_engine, migrate, session_factory
from mintqo.db.models import Analysis, GroupRelease, LoginSession, ScopeHistogram, WorkshopGroup
from mintqo.domain import anonymity, release_plan
from mintqo.domain.codes import hash_code, hash_token
from mintqo.domain.histograms import AxisStat, contribution, histograms_of, merge
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.services import analyses, group_comparisons, groups, logins, participation, releases, scopes
from mintqo.services.answers import answers_of, notes_of, record_answer
from tests.support import group_oracle as oracle
from tests.support import tokens
from tests.support.projects import workshop_group

SCORES = ("1", "2", "3", "4")
NOT_ANONYMOUS = "Dieser Vergleich umfasst noch zu wenige weitere Analysen, um anonym zu sein."


@dataclasses.dataclass
class Member:
    """A test project's analysis and the answers the test wrote to it."""

    analysis_id: int
    rater_id: int
    code: str
    answers: dict[str, str]
    submitted: bool


def _expected(q: Questionnaire, members: Iterable[Member]) -> oracle.Hists:
    """The histograms a release of these analyses must hold, computed from the answers directly."""
    return oracle.plain(histograms_of(contribution(q, m.answers, {}) for m in members))


def _gate(k: int) -> int:
    """The fewest ratings a shown group figure rests on (2k − 1), re-derived here."""
    return 2 * k - 1


def _gated(q: Questionnaire, members: Iterable[Member], k: int) -> tuple[oracle.Hists, dict[str, str]]:
    """What a first release of these analyses shows, and which items it withholds (all FEW)."""
    hists = _expected(q, members)
    held = {item for item, hist in hists.items() if oracle.ratings(item, hist) < _gate(k)}
    shown = {item: hist for item, hist in hists.items() if item not in held}
    return shown, dict.fromkeys(held, anonymity.FEW)


def _answers(q: Questionnaire, rng: random.Random, extra: int = 2) -> dict[str, str]:
    """A scored answer in every sub-criterion (so every axis has a score) plus a few random others."""
    out = {sub.statements[0].id: rng.choice(SCORES) for sub in q.subcriteria}
    others = [st.id for st in q.statements() if st.id not in out]
    for sid in rng.sample(others, extra):
        out[sid] = rng.choice(ANSWER_VALUES)
    return out


def _start(
    session: Session, q: Questionnaire, name: str, answers: Mapping[str, str], *, submit: bool = True
) -> Member:
    started = analyses.start_analysis(
        session, q, Profile(f"Initiative {name}", f"Projekt {name}", region="Nord")
    )
    info = analyses.analysis_info(session, started.analysis_id)
    for sid, value in answers.items():
        record_answer(session, q, info.analysis_id, info.rater_id, sid, value)
    if submit:
        analyses.submit(session, info.analysis_id)
    return Member(info.analysis_id, info.rater_id, started.code, dict(answers), submit)


def _member_of(
    session: Session,
    q: Questionnaire,
    created: groups.CreatedGroup,
    name: str,
    rng: random.Random,
    *,
    submit: bool = True,
) -> Member:
    member = _start(session, q, name, _answers(q, rng), submit=False)
    groups.join_group(session, member.analysis_id, created.join_code)
    if submit:
        analyses.submit(session, member.analysis_id)
        member.submitted = True
    return member


def _change(session: Session, q: Questionnaire, member: Member, sid: str, value: str) -> None:
    """Reopen, change one answer and submit again (what a team does after the workshop)."""
    analyses.reopen(session, member.analysis_id)
    record_answer(session, q, member.analysis_id, member.rater_id, sid, value)
    analyses.submit(session, member.analysis_id)
    member.answers[sid] = value
    member.submitted = True


def _other_value(value: str) -> str:
    return "1" if value != "1" else "4"


def _dump(engine: Engine) -> str:
    """Every value of every table as text."""
    parts = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(v) for v in row)
    return "\n".join(parts)


# --- codes and logins ------------------------------------------------------------------------------------


def test_create_group_stores_only_hashes_of_its_two_codes(settings, engine, session, questionnaire):
    created = workshop_group(session, questionnaire)
    project = _start(session, questionnaire, "A", {"A1.1": "3"}, submit=False)
    assert created.facilitator_code != created.join_code
    row = session.get(WorkshopGroup, created.group_id)
    assert row.facilitator_code_hash == hashlib.sha256(created.facilitator_code.encode()).hexdigest()
    assert row.join_code_hash == hashlib.sha256(created.join_code.encode()).hexdigest()
    dump = _dump(engine).upper()
    assert row.facilitator_code_hash.upper() in dump and row.join_code_hash.upper() in dump  # dump works
    codes = (created.facilitator_code, created.join_code, project.code)
    for code in codes:
        for spelling in (code, code.replace("-", "")):
            assert spelling not in dump
    if settings.database_url.startswith("sqlite"):
        raw = Path(settings.database_url.removeprefix("sqlite:///"))
        blob = b"".join(p.read_bytes() for p in raw.parent.glob(raw.name + "*"))
        for code in codes:
            assert code.encode() not in blob and code.replace("-", "").encode() not in blob


def test_facilitator_code_opens_only_its_group(session, questionnaire):
    created = workshop_group(session, questionnaire)
    other = workshop_group(session, questionnaire, "Workshop Süd", "Süd")
    project = _start(session, questionnaire, "A", {"A1.1": "3"}, submit=False)
    code = created.facilitator_code
    assert groups.facilitator_login(session, code) == created.group_id
    assert groups.facilitator_login(session, f"  {code.lower().replace('-', ' ')} ") == created.group_id
    assert groups.facilitator_login(session, code.replace("-", "")) == created.group_id
    assert groups.facilitator_login(session, other.facilitator_code) == other.group_id
    # Neither the group's join code nor an initiative's access code opens facilitator pages …
    assert groups.facilitator_login(session, created.join_code) is None
    assert groups.facilitator_login(session, project.code) is None
    for junk in ("", "nonsense", "ABCD-EFGH-JKMN-PQRS"):
        assert groups.facilitator_login(session, junk) is None
    # … and group codes never open an initiative's analysis.
    assert logins.resume_with_code(session, code) is None
    assert logins.resume_with_code(session, created.join_code) is None
    assert logins.resume_with_code(session, project.code) == project.analysis_id


def test_group_session_token_opens_only_facilitator_pages_and_expires(session, questionnaire):
    created = workshop_group(session, questionnaire)
    project = _start(session, questionnaire, "A", {"A1.1": "3"}, submit=False)
    token = groups.open_group_session(session, created.group_id, hours=2)
    assert tokens.group_of(session, token) == created.group_id
    assert tokens.analysis_of(session, token) is None
    stored = session.scalars(select(LoginSession.token_hash)).all()
    assert token not in stored and hash_token(token) in stored

    project_token = logins.open_login_session(session, project.analysis_id, hours=2)
    assert tokens.group_of(session, project_token) is None
    assert tokens.analysis_of(session, project_token) == project.analysis_id
    for junk in ("", token + "x", "x" * 200):
        assert tokens.group_of(session, junk) is None

    tokens.backdate(session, LoginSession, token, expires_at=timedelta(seconds=1))
    assert tokens.group_of(session, token) is None
    assert tokens.analysis_of(session, project_token) == project.analysis_id


# --- joining ---------------------------------------------------------------------------------------------


def test_join_group_rules(session, questionnaire):
    q = questionnaire
    part2 = date(2026, 3, 10)
    created = workshop_group(session, q, part2=part2)
    other = workshop_group(session, q, "Workshop Süd", "Süd")
    member = _start(session, q, "A", {"A1.1": "3"}, submit=False)
    aid = member.analysis_id

    for wrong in ("ABCD-EFGH-JKMN-PQRS", "", "Quatsch", created.facilitator_code, member.code):
        with pytest.raises(groups.GroupError, match="Diesen Gruppen-Code kennen wir nicht"):
            groups.join_group(session, aid, wrong, today=part2)
    with pytest.raises(groups.GroupError, match=r"abgelaufen \(gültig bis 10\.03\.2026\)"):
        groups.join_group(session, aid, created.join_code, today=part2 + timedelta(days=1))
    assert groups.group_of_analysis(session, aid) is None

    sloppy = f" {created.join_code.lower().replace('-', ' ')} "
    info = groups.join_group(session, aid, sloppy, today=part2)  # the last day still works
    assert (info.id, info.name, info.region, info.k, info.join_until) == (
        created.group_id,
        "Workshop Nord",
        "Nord",
        3,
        part2,
    )
    session.expire_all()
    joined_at = session.get(Analysis, aid).joined_at
    assert joined_at is not None

    # Joining the same group again changes nothing.
    assert groups.join_group(session, aid, created.join_code, today=part2) == info
    session.expire_all()
    assert session.get(Analysis, aid).joined_at == joined_at

    # A second group is refused: groups never share an analysis.
    with pytest.raises(groups.GroupError, match="gehört bereits zur Workshopgruppe „Workshop Nord“"):
        groups.join_group(session, aid, other.join_code, today=part2)
    assert groups.group_of_analysis(session, aid) == info

    # An analysis of another questionnaire edition is refused.
    foreign = _start(session, q, "B", {"A1.1": "2"}, submit=False)
    session.execute(update(Analysis).where(Analysis.id == foreign.analysis_id).values(edition="anders-2030"))
    session.commit()
    with pytest.raises(groups.GroupError, match="anderen Ausgabe des Fragebogens"):
        groups.join_group(session, foreign.analysis_id, other.join_code, today=part2)
    assert groups.group_of_analysis(session, foreign.analysis_id) is None

    with pytest.raises(groups.GroupError, match="gibt es nicht"):
        groups.join_group(session, 99999, other.join_code, today=part2)


# --- participation ---------------------------------------------------------------------------------------


def test_participation_shows_status_never_progress_or_ratings(session, questionnaire):
    q = questionnaire
    rng = random.Random(5)
    created = workshop_group(session, q)
    draft = _start(session, q, "A", {"A1.1": "1", "A1.2": "2", "A1.3": "3", "A1.4": "4"}, submit=False)
    groups.join_group(session, draft.analysis_id, created.join_code)
    idle = _start(session, q, "Z", {}, submit=False)  # joined, nothing answered yet
    groups.join_group(session, idle.analysis_id, created.join_code)
    done = [_member_of(session, q, created, name, rng) for name in "BCDEF"]
    outsider_group = workshop_group(session, q, "Workshop Süd", "Süd")
    outsider = _member_of(session, q, outsider_group, "E", rng)

    # No progress counts: with the group's statement counts they would tell who answered what.
    assert {f.name for f in dataclasses.fields(participation.Participant)} == {
        "analysis_id",
        "initiative",
        "project",
        "submitted",
        "started",
        "submitted_at",
        "in_release",
        "round",
    }
    rows = {p.analysis_id: p for p in participation.participation(session, created.group_id, q)}
    assert set(rows) == {draft.analysis_id, idle.analysis_id, *(m.analysis_id for m in done)}
    assert outsider.analysis_id not in rows
    for row in rows.values():
        for value in dataclasses.astuple(row):
            assert not isinstance(value, dict | list | tuple | set)
            assert not (isinstance(value, str) and value in ANSWER_VALUES)
        assert not row.in_release
        assert not hasattr(row, "answered") and not hasattr(row, "total")
    first = rows[draft.analysis_id]
    assert (first.initiative, first.project, first.submitted, first.started) == (
        "Initiative A",
        "Projekt A",
        False,
        True,
    )
    assert first.submitted_at is None
    assert (rows[idle.analysis_id].started, rows[idle.analysis_id].submitted) == (False, False)
    for m in done:
        assert rows[m.analysis_id].submitted and rows[m.analysis_id].submitted_at is not None
        assert rows[m.analysis_id].started

    releases.release(session, created.group_id, q)
    analyses.submit(session, draft.analysis_id)  # submitted after the release: not in it
    rows = {p.analysis_id: p for p in participation.participation(session, created.group_id, q)}
    assert {aid for aid, p in rows.items() if p.in_release} == {m.analysis_id for m in done}
    assert rows[draft.analysis_id].submitted and not rows[draft.analysis_id].in_release


# --- releases --------------------------------------------------------------------------------------------


FROZEN = "bereits freigegeben"


def test_release_needs_2k_minus_1_analyses_and_withholds_thin_items(session, questionnaire):
    q = questionnaire
    rng = random.Random(11)
    created = workshop_group(session, q)
    gid = created.group_id
    a, b, c, d = (_member_of(session, q, created, name, rng) for name in "ABCD")

    decision = releases.release_check(session, gid, q)
    assert isinstance(decision, release_plan.ReleasePlan)
    assert not decision.allowed and decision.n == 4 and decision.hists == {} and decision.withheld == {}
    assert decision.reason.startswith(
        "Es sind erst 4 von mindestens 5 Selbstanalysen dieser Runde abgeschlossen"
    )
    with pytest.raises(groups.GroupError, match="erst 4 von mindestens 5"):
        releases.release(session, gid, q)
    assert releases.latest_release(session, gid) is None

    e = _member_of(session, q, created, "E", rng, submit=False)
    assert releases.release_check(session, gid, q).n == 4  # a draft does not count
    analyses.submit(session, e.analysis_id)
    e.submitted = True
    shown, held = _gated(q, [a, b, c, d, e], 3)
    decision = releases.release_check(session, gid, q)
    assert decision.allowed and decision.n == 5 and decision.reason == ""
    assert oracle.plain(decision.hists) == shown and dict(decision.withheld) == held
    # Every axis rests on all five (a scored first statement per sub-criterion); most single
    # statements were rated by fewer than five and are withheld.
    assert all(not i.startswith(("u:", "c:")) for i in held) and any(i.startswith("s:") for i in held)
    first = releases.release(session, gid, q)
    assert (first.seq, first.n_members) == (1, 5)
    latest = releases.latest_release(session, gid)
    assert (latest.id, latest.seq, latest.n_members) == (first.id, first.seq, first.n_members)
    # The stored release holds only the shown items and lists the others.
    assert releases.release_histograms(session, first.id) == shown
    assert releases.release_withheld(session, first.id) == held
    assert not set(releases.release_histograms(session, first.id)) & set(held)


def test_a_round_is_released_once(session, questionnaire):
    q = questionnaire
    rng = random.Random(12)
    created = workshop_group(session, q)
    gid = created.group_id
    members = [_member_of(session, q, created, name, rng) for name in "ABCDE"]
    first = releases.release(session, gid, q)
    stored = releases.release_histograms(session, first.id)

    # Nothing changed, one changed, many changed, more joined: the round's picture stays frozen.
    decision = releases.release_check(session, gid, q)
    assert not decision.allowed and FROZEN in decision.reason and "endgültig" in decision.reason
    with pytest.raises(groups.GroupError, match=FROZEN):
        releases.release(session, gid, q)
    a = members[0]
    sid = next(iter(a.answers))
    _change(session, q, a, sid, _other_value(a.answers[sid]))
    with contextlib.suppress(analyses.AnalysisError):  # a stale tab cannot change what was submitted
        record_answer(session, q, a.analysis_id, a.rater_id, sid, _other_value(a.answers[sid]))
    assert answers_of(session, a.analysis_id, a.rater_id) == a.answers
    for m in members[1:]:
        sid = next(iter(m.answers))
        _change(session, q, m, sid, _other_value(m.answers[sid]))
    members += [_member_of(session, q, created, name, rng) for name in "FGHIJ"]
    decision = releases.release_check(session, gid, q)
    assert not decision.allowed and decision.n == 10 and FROZEN in decision.reason
    with pytest.raises(groups.GroupError, match=FROZEN):
        releases.release(session, gid, q)
    assert releases.release_histograms(session, first.id) == stored
    assert _rel_ids(session) == [first.id]

    # A stricter group needs 2k − 1 = 7.
    strict = workshop_group(session, q, "Workshop streng", k=4)
    for i in range(6):
        _member_of(session, q, strict, f"S{i}", rng)
    decision = releases.release_check(session, strict.group_id, q)
    assert not decision.allowed and "erst 6 von mindestens 7" in decision.reason
    assert "k = 4" in decision.reason
    _member_of(session, q, strict, "S6", rng)
    assert releases.release_check(session, strict.group_id, q).allowed


def _rel_ids(session: Session) -> list[int]:
    return list(session.scalars(select(GroupRelease.id).order_by(GroupRelease.id)))


def test_release_log_shows_every_release_with_n_and_join_dates(session, questionnaire):
    q = questionnaire
    rng = random.Random(13)
    created = workshop_group(session, q)
    gid = created.group_id
    assert participation.release_log(session, gid) == []
    members = [_member_of(session, q, created, name, rng) for name in "ABCDE"]
    late = _member_of(session, q, created, "F", rng, submit=False)  # joined, not in the release
    first = releases.release(session, gid, q)
    session.expire_all()
    joined = sorted(session.get(Analysis, m.analysis_id).joined_at for m in members)
    (entry,) = participation.release_log(session, gid)
    assert (entry.seq, entry.round, entry.n_members, entry.withdrawn_at) == (1, 1, 5, None)
    assert entry.created_at.replace(tzinfo=None) == first.created_at.replace(tzinfo=None)
    assert list(entry.joined) == joined and len(entry.joined) == entry.n_members
    assert late.analysis_id not in {m.analysis_id for m in members}
    # Another group's releases never show up in this log.
    other = workshop_group(session, q, "Workshop Süd", "Süd")
    for i in range(5):
        _member_of(session, q, other, f"O{i}", rng)
    releases.release(session, other.group_id, q)
    assert [e.seq for e in participation.release_log(session, gid)] == [1]


def test_stale_write_never_changes_a_submitted_analysis(session, questionnaire):
    q = questionnaire
    member = _start(session, q, "A", {"A1.1": "3", "A1.2": "dk"})
    for sid, value in (("A1.1", "1"), ("A1.2", None), ("B1.1", "4")):
        with contextlib.suppress(analyses.AnalysisError):
            record_answer(session, q, member.analysis_id, member.rater_id, sid, value)
    assert answers_of(session, member.analysis_id, member.rater_id) == member.answers


def test_stale_write_to_a_submitted_analysis_is_refused(session, questionnaire):
    q = questionnaire
    member = _start(session, q, "A", {"A1.1": "3", "A1.2": "dk"})
    with pytest.raises(analyses.AnalysisError, match="abgeschlossen"):
        record_answer(session, q, member.analysis_id, member.rater_id, "A1.1", "1")
    with pytest.raises(analyses.AnalysisError, match="abgeschlossen"):
        record_answer(session, q, member.analysis_id, member.rater_id, "B1.1", "4")
    assert answers_of(session, member.analysis_id, member.rater_id) == member.answers


def test_stale_clear_of_a_submitted_answer_is_reported(session, questionnaire):
    q = questionnaire
    member = _start(session, q, "A", {"A1.1": "3"})
    try:
        with pytest.raises(analyses.AnalysisError, match="abgeschlossen"):
            record_answer(session, q, member.analysis_id, member.rater_id, "A1.1", None)
    finally:
        assert answers_of(session, member.analysis_id, member.rater_id) == {"A1.1": "3"}


# --- region and instance scopes --------------------------------------------------------------------------

GROUP_SETUP = (
    ("Workshop Nord 1", "Nord"),
    ("Workshop Nord 2", "  nord "),
    ("Workshop Süd 1", "Süd"),
    ("Workshop Süd 2", "SÜD"),
)


@dataclasses.dataclass
class Sim:
    """A group in the random simulation and what the test expects of its releases."""

    created: groups.CreatedGroup
    info: groups.GroupInfo
    members: list[Member]
    releases: list[dict[int, tuple]] = dataclasses.field(default_factory=list)
    latest: oracle.Hists | None = None
    n: int = 0


def _try_release(session: Session, q: Questionnaire, g: Sim) -> bool:
    """Release when the rules (re-derived here from the answers) allow it; check a refusal otherwise."""
    submitted = [m for m in g.members if m.submitted]
    k = g.info.k
    # Once per round, from 2k − 1 analyses (every axis is scored by all, so something is shown).
    allowed = not g.releases and len(submitted) >= _gate(k)
    decision = releases.release_check(session, g.info.id, q)
    assert decision.allowed == allowed
    if not allowed:
        with pytest.raises(groups.GroupError):
            releases.release(session, g.info.id, q)
        return False
    summary = releases.release(session, g.info.id, q)
    assert (summary.seq, summary.n_members) == (len(g.releases) + 1, len(submitted))
    g.releases.append({m.analysis_id: tuple(sorted(m.answers.items())) for m in submitted})
    (g.latest, _), g.n = _gated(q, submitted, k), len(submitted)
    assert releases.release_histograms(session, summary.id) == g.latest
    return True


def _check_scopes(session: Session, q: Questionnaire, sims: list[Sim]) -> None:
    region_scopes = {g.info.region_scope for g in sims}
    assert len(region_scopes) == 2
    checks = [(scope, [g for g in sims if g.info.region_scope == scope]) for scope in region_scopes]
    checks.append((scopes.instance_scope(q.edition), sims))
    for scope, members in checks:
        released = [g for g in members if g.latest is not None]
        fig = scopes.scope_figure(session, scope)
        assert fig.hists == oracle.plain(merge(g.latest for g in released)), scope
        assert (fig.n_members, fig.n_groups) == (sum(g.n for g in released), len(released)), scope
    zero = select(func.count()).select_from(ScopeHistogram).where(ScopeHistogram.count <= 0)
    assert session.scalar(zero) == 0


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_scopes_are_the_merge_of_every_groups_latest_release(session, questionnaire, seed):
    q = questionnaire
    rng = random.Random(seed)
    sims = []
    for name, region in GROUP_SETUP:
        created = workshop_group(session, q, name, region, k=rng.choice((3, 3, 4)))
        info = groups.group_info(session, created.group_id)
        n = _gate(info.k) + rng.randint(-1, 1)
        sims.append(
            Sim(created, info, [_member_of(session, q, created, f"{name} {i}", rng) for i in range(n)])
        )
    statements = [st.id for st in q.statements()]
    releases = 0
    for _ in range(30):
        g = rng.choice(sims)
        action = rng.choices(("add", "change", "toggle", "release"), weights=(2, 3, 1, 4))[0]
        if action == "add":
            name = f"{g.info.name} {len(g.members)}"
            g.members.append(_member_of(session, q, g.created, name, rng, submit=rng.random() < 0.8))
        elif action == "change":
            _change(session, q, rng.choice(g.members), rng.choice(statements), rng.choice(ANSWER_VALUES))
        elif action == "toggle":
            m = rng.choice(g.members)
            (analyses.reopen if m.submitted else analyses.submit)(session, m.analysis_id)
            m.submitted = not m.submitted
        elif _try_release(session, q, g):
            releases += 1
            _check_scopes(session, q, sims)
    for g in sims:
        releases += _try_release(session, q, g)
    _check_scopes(session, q, sims)
    assert releases >= 2


# --- comparisons -----------------------------------------------------------------------------------------


def _released_group(
    session: Session, q: Questionnaire, name: str, region: str, k: int, n: int, rng: random.Random
) -> tuple[groups.GroupInfo, list[Member]]:
    created = workshop_group(session, q, name, region, k=k)
    members = [_member_of(session, q, created, f"{name} {i}", rng) for i in range(n)]
    releases.release(session, created.group_id, q)
    return groups.group_info(session, created.group_id), members


def test_comparisons_before_and_after_the_first_release(session, questionnaire):
    q = questionnaire
    rng = random.Random(3)
    created = workshop_group(session, q)
    info = groups.group_info(session, created.group_id)
    none_yet = anonymity.too_few(0, 3)
    assert none_yet == "noch zu wenige Analysen für einen anonymen Vergleich (0 von mindestens 5)"

    def assert_nothing_drawable(submitted: int) -> None:
        out = group_comparisons.comparisons(session, q, info, None)
        assert set(out) == {group_comparisons.GROUP, group_comparisons.REGION, group_comparisons.INSTANCE}
        assert all(c.picture is None and c.hists == {} for c in out.values())
        assert out[group_comparisons.GROUP].message == anonymity.too_few(submitted, 3)
        assert out[group_comparisons.REGION].message == out[group_comparisons.INSTANCE].message == none_yet

    assert_nothing_drawable(0)
    members = [_member_of(session, q, created, name, rng) for name in "ABCD"]
    # Four of five submitted: releasing is refused, and every comparison says why instead of drawing.
    assert releases.release_check(session, info.id, q).reason.startswith(
        "Es sind erst 4 von mindestens 5 Selbstanalysen dieser Runde abgeschlossen"
    )
    assert_nothing_drawable(4)

    members.append(_member_of(session, q, created, "E", rng))
    out = group_comparisons.comparisons(session, q, info, None)
    assert (
        out[group_comparisons.GROUP].message == "Die Moderation hat das Gruppenbild noch nicht freigegeben."
    )
    releases.release(session, info.id, q)
    out = group_comparisons.comparisons(session, q, info, None)
    group = out[group_comparisons.GROUP]
    assert group.message is None and group.picture is not None and group.picture.drawable
    assert group.picture.n_members == 5
    assert all(isinstance(ax, AxisStat) and ax.n == 5 for ax in group.picture.axes.values())
    shown, held = _gated(q, members, 3)
    assert group.hists == shown and dict(group.picture.withheld) == held
    for kind in (group_comparisons.REGION, group_comparisons.INSTANCE):
        cmp = out[kind]
        assert cmp.message is None and cmp.picture is not None and cmp.label.endswith("· 1 Gruppe")
        assert cmp.hists == group.hists  # only the shown items enter the sums
        assert cmp.picture.n_members == 5
        assert cmp.picture.axes == group.picture.axes
        assert cmp.picture.dont_know == group.picture.dont_know

    # Someone without a group but from the same region (any spelling) sees the same figures.
    outside = group_comparisons.comparisons(session, q, None, " NORD ")
    assert set(outside) == {group_comparisons.REGION, group_comparisons.INSTANCE}
    assert outside[group_comparisons.REGION].picture.axes == group.picture.axes
    assert outside[group_comparisons.INSTANCE].picture.axes == group.picture.axes
    elsewhere = group_comparisons.comparisons(session, q, None, "Süd")
    assert elsewhere[group_comparisons.REGION].picture is None
    assert elsewhere[group_comparisons.REGION].message == none_yet
    assert elsewhere[group_comparisons.INSTANCE].picture.axes == group.picture.axes


def _shown(out: Mapping[str, group_comparisons.Comparison]) -> dict[str, int]:
    return {kind: c.picture.n_members for kind, c in out.items() if c.picture is not None}


def _assert_rule_two(out: Mapping[str, group_comparisons.Comparison], k: int) -> None:
    """Every two figures one viewer sees rest on the same analyses or differ by at least 2k − 1."""
    ns = list(_shown(out).values())
    for x in ns:
        for y in ns:
            assert x == y or abs(x - y) >= _gate(k)


def test_region_is_withheld_only_for_a_viewer_whose_k_exceeds_what_other_groups_add(session, questionnaire):
    """With equal k, releases of >= 2k − 1 members keep every scope visible; a stricter k can not."""
    q = questionnaire
    rng = random.Random(7)
    loose, _ = _released_group(session, q, "Workshop Nord", "Nord", 3, 5, rng)
    out = group_comparisons.comparisons(session, q, loose, None)
    assert _shown(out) == {"group": 5, "region": 5, "instance": 5}

    strict, _ = _released_group(session, q, "Workshop Nord streng", "nord", 5, 9, rng)
    out = group_comparisons.comparisons(session, q, loose, None)
    assert _shown(out) == {"group": 5, "region": 14, "instance": 14}
    assert out[group_comparisons.REGION].label.endswith("· 2 Gruppen")
    _assert_rule_two(out, loose.k)
    # The stricter group's viewers would see a region only 5 analyses beyond their own group (< 9).
    out = group_comparisons.comparisons(session, q, strict, None)
    assert _shown(out) == {"group": 9}
    assert out[group_comparisons.REGION].message == out[group_comparisons.INSTANCE].message == NOT_ANONYMOUS

    south, _ = _released_group(session, q, "Workshop Süd", "Süd", 3, 5, rng)
    out = group_comparisons.comparisons(session, q, strict, None)
    assert _shown(out) == {"group": 9, "instance": 19}
    assert out[group_comparisons.REGION].message == NOT_ANONYMOUS
    _assert_rule_two(out, strict.k)
    for viewer in (loose, south):
        out = group_comparisons.comparisons(session, q, viewer, None)
        assert set(_shown(out)) == {"group", "region", "instance"}
        _assert_rule_two(out, viewer.k)
    # A scope's n never sits 1..2k-2 above a same-k viewer's group: region − group is a sum of releases.
    fig = scopes.scope_figure(session, loose.region_scope)
    assert anonymity.scope_visible(fig.n_members, 5, 3)


# --- migration -------------------------------------------------------------------------------------------

NOW = "2026-01-05 10:00:00.000000"
OLD_ROWS = {
    "initiative": 1,
    "project": 1,
    "access_code": 1,
    "analysis": 1,
    "rater": 1,
    "answer": 2,
    "subcriterion_note": 1,
    "login_session": 1,
}


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as conn:
        out = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in OLD_ROWS}
    engine.dispose()
    return out


def test_upgrade_from_0001_keeps_rows_and_downgrade_round_trips(sqlite_settings, questionnaire):
    q = questionnaire
    url = sqlite_settings.database_url
    cfg = alembic_config(url)
    command.upgrade(cfg, "0001")
    code, token = "K7QM-3XHD-PW9A-TRC2", "t" * 43
    engine = make_engine(url)
    with engine.begin() as conn:
        for sql, params in (
            ("INSERT INTO initiative VALUES (1, 'Schülerlabor', 'Nord', :now)", {}),
            ("INSERT INTO project VALUES (1, 1, 'Robotik-AG', NULL, 'Technik', :now)", {}),
            ("INSERT INTO access_code VALUES (1, :h, 'project', 1, :now, NULL)", {"h": hash_code(code)}),
            ("INSERT INTO analysis VALUES (1, 1, :ed, 1, 'draft', :now, :now, NULL)", {"ed": q.edition}),
            ("INSERT INTO rater VALUES (1, 1, 'Team', :now)", {}),
            ("INSERT INTO answer VALUES (1, 1, 'A1.1', '3', :now), (1, 1, 'A1.2', 'dk', :now)", {}),
            ("INSERT INTO subcriterion_note VALUES (1, 'A1', 'Protokoll', 1, :now)", {}),
            (
                "INSERT INTO login_session VALUES (:t, 1, :now, '2099-01-01 00:00:00.000000')",
                {"t": hash_token(token)},
            ),
        ):
            conn.execute(text(sql), {"now": NOW, **params})
    engine.dispose()
    assert _counts(url) == OLD_ROWS

    command.upgrade(cfg, "head")
    assert _counts(url) == OLD_ROWS
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert logins.resume_with_code(s, code) == 1
        assert tokens.analysis_of(s, token) == 1
        assert answers_of(s, 1, 1) == {"A1.1": "3", "A1.2": "dk"}
        assert notes_of(s, 1)["A1"] == analyses.NoteState("Protokoll", True)
        assert s.get(Analysis, 1).group_id is None
        created = workshop_group(s, q)
        groups.join_group(s, 1, created.join_code)
        analyses.submit(s, 1)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
    engine.dispose()

    command.downgrade(cfg, "0001")
    assert _counts(url) == OLD_ROWS
    engine = make_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert "workshop_group" not in tables and not any(t.startswith("_alembic_tmp") for t in tables)
    assert "group_id" not in {c["name"] for c in inspect(engine).get_columns("analysis")}
    engine.dispose()

    command.upgrade(cfg, "head")
    assert _counts(url) == OLD_ROWS
    engine = make_engine(url)
    with session_factory(engine)() as s:
        assert tokens.analysis_of(s, token) == 1
        assert analyses.analysis_info(s, 1).submitted
        created = workshop_group(s, q)
        groups.join_group(s, 1, created.join_code)
        assert groups.group_of_analysis(s, 1).id == created.group_id
    engine.dispose()
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_downgrade_works_after_a_facilitator_logged_in(sqlite_settings, questionnaire):
    url = sqlite_settings.database_url
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        created = workshop_group(s, questionnaire)
        groups.open_group_session(s, created.group_id, hours=1)
    engine.dispose()
    command.downgrade(alembic_config(url), "0001")
    engine = make_engine(url)
    assert "workshop_group" not in inspect(engine).get_table_names()
    engine.dispose()
