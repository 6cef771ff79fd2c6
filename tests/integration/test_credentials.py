"""Credentials: token rotation, code replacement, logout everywhere, purge, presenter tokens,
the shared wrong-code throttle, a login that reads only, and restore refusing unknown schemas."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mintqo.backup import BackupError, backup, restore
from mintqo.cli import main as cli_main
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.db.models import AccessCode, LoginSession, LoginThrottle, PresenterSession, utcnow
from mintqo.domain import throttle
from mintqo.domain.codes import generate_code, hash_code, hash_token
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import analyses, groups, login_throttle, logins, rounds
from tests.support import tokens
from tests.support.projects import workshop_group


def _project(session: Session, q: Questionnaire, name: str = "Projekt") -> analyses.Started:
    return analyses.start_analysis(session, q, Profile("Ini", name))


# --- rotation ----------------------------------------------------------------------------------------


def test_a_token_read_from_a_url_is_exchanged_and_the_old_one_ends_shortly(
    session, questionnaire, monkeypatch
):
    started = _project(session, questionnaire)
    token = logins.open_login_session(session, started.analysis_id, hours=12)
    original_end = session.get(LoginSession, hash_token(token)).expires_at
    rotated = logins.rotate_login(session, token)
    assert rotated is not None
    login, fresh = rotated
    assert (login.analysis_id, login.rater_id, login.group_id) == (started.analysis_id, None, None)
    assert fresh != token
    assert tokens.login_target(session, fresh) == (started.analysis_id, None)
    # The new token does not extend the login; the old one works only for a reconnect in flight.
    assert session.get(LoginSession, hash_token(fresh)).expires_at == original_end
    old_end = session.get(LoginSession, hash_token(token)).expires_at
    old_end = old_end if old_end.tzinfo else old_end.replace(tzinfo=utcnow().tzinfo)
    assert old_end <= utcnow() + logins.ROTATION_GRACE
    # The grace minute has passed:
    tokens.backdate(session, LoginSession, token, expires_at=timedelta(seconds=1))
    assert logins.rotate_login(session, token) is None
    assert tokens.login_target(session, token) is None
    assert tokens.login_target(session, fresh) == (started.analysis_id, None)

    group = workshop_group(session, questionnaire)
    group_token = groups.open_group_session(session, group.group_id, hours=2)
    login, fresh_group = logins.rotate_login(session, group_token)
    assert login.group_id == group.group_id and login.analysis_id is None
    assert tokens.group_of(session, fresh_group) == group.group_id


def test_a_facilitator_token_older_than_a_few_minutes_is_renewed_and_the_seen_one_ends(
    session, questionnaire
):
    group = workshop_group(session, questionnaire)
    seen = groups.open_group_session(session, group.group_id, hours=12)  # e.g. on a shared screen
    assert logins.renew_facilitator_login(session, seen) is None  # fresh: kept
    tokens.backdate(
        session, LoginSession, seen, created_at=logins.FACILITATOR_TOKEN_AGE + timedelta(seconds=1)
    )
    renewed = logins.renew_facilitator_login(session, seen)
    assert renewed is not None and renewed != seen
    assert tokens.group_of(session, renewed) == group.group_id
    # The grace minute has passed:
    tokens.backdate(session, LoginSession, seen, expires_at=timedelta(seconds=1))
    assert tokens.group_of(session, seen) is None
    # A project's login is not renewed this way (participants' addresses are not projected).
    started = _project(session, questionnaire)
    token = logins.open_login_session(session, started.analysis_id, hours=12)
    tokens.backdate(session, LoginSession, token, created_at=timedelta(hours=1))
    assert logins.renew_facilitator_login(session, token) is None


# --- code replacement and logout everywhere ----------------------------------------------------------


def test_a_replaced_project_code_stops_working_and_ends_every_other_login(session, questionnaire):
    started = _project(session, questionnaire)
    other = _project(session, questionnaire, "Anderes")
    aid = started.analysis_id
    project_id = analyses.analysis_info(session, aid).project_id
    mine = logins.open_login_session(session, aid, 2)
    member = logins.open_login_session(session, aid, 2, analyses.analysis_info(session, aid).rater_id)
    other_token = logins.open_login_session(session, other.analysis_id, 2)

    code = logins.new_project_code(session, project_id, keep_token=mine)
    assert code != started.code
    assert logins.resume_with_code(session, started.code) is None
    assert logins.resume_with_code(session, code) == aid
    assert tokens.login_target(session, mine) == (aid, None)
    assert tokens.login_target(session, member) is None
    assert tokens.analysis_of(session, other_token) == other.analysis_id
    assert session.scalar(select(func.count()).select_from(AccessCode)) == 2  # replaced, not added


def test_logout_everywhere_ends_every_round_and_member_of_a_project_only(session, questionnaire):
    started = _project(session, questionnaire)
    other = _project(session, questionnaire, "Anderes")
    aid = started.analysis_id
    analyses.submit(session, aid)
    project_id = analyses.analysis_info(session, aid).project_id
    round2 = rounds.start_next_round(session, questionnaire, questionnaire, project_id, prefill=False)
    opened = [logins.open_login_session(session, a, 2) for a in (aid, round2, round2)]
    other_token = logins.open_login_session(session, other.analysis_id, 2)
    assert logins.logout_project(session, project_id) == 3
    assert all(tokens.login_target(session, t) is None for t in opened)
    assert tokens.analysis_of(session, other_token) == other.analysis_id
    assert logins.resume_with_code(session, started.code) == round2  # the code itself still works


def test_a_replaced_facilitator_code_ends_other_facilitator_logins_and_presenters(session, questionnaire):
    created = workshop_group(session, questionnaire)
    gid = created.group_id
    mine = groups.open_group_session(session, gid, 2)
    elsewhere = groups.open_group_session(session, gid, 2)
    presenter = logins.open_presenter_session(session, gid)
    code = groups.new_facilitator_code(session, gid, keep_token=mine)
    assert groups.facilitator_login(session, created.facilitator_code) is None
    assert groups.facilitator_login(session, code) == gid
    assert tokens.group_of(session, mine) == gid
    assert tokens.group_of(session, elsewhere) is None
    assert logins.presenter_group(session, presenter) is None
    # The join code for the initiatives is untouched.
    assert (
        groups.join_group(session, _project(session, questionnaire).analysis_id, created.join_code).id == gid
    )

    again = groups.open_group_session(session, gid, 2)
    assert logins.logout_group(session, gid) == 2
    assert tokens.group_of(session, again) is None
    assert tokens.group_of(session, mine) is None
    with pytest.raises(groups.GroupError):
        groups.new_facilitator_code(session, 9999)


# --- presenter tokens --------------------------------------------------------------------------------


def test_a_presenter_token_opens_only_the_presentation_of_its_group(session, questionnaire):
    created = workshop_group(session, questionnaire)
    presenter = logins.open_presenter_session(session, created.group_id)
    assert logins.presenter_group(session, presenter) == created.group_id
    # It is no facilitator login: no dashboard, no codes, no release, no analysis.
    assert tokens.group_of(session, presenter) is None
    assert logins.valid_login(session, presenter) is None
    assert logins.rotate_login(session, presenter) is None
    row = session.get(PresenterSession, hash_token(presenter))
    lifetime = row.expires_at - row.created_at
    assert lifetime <= timedelta(hours=logins.PRESENTER_HOURS)
    logins.close_presenter_session(session, presenter)
    assert logins.presenter_group(session, presenter) is None
    for junk in ("", "x" * 200):
        assert logins.presenter_group(session, junk) is None


# --- purge -------------------------------------------------------------------------------------------


def test_a_new_login_purges_rows_expired_for_more_than_a_day(session, questionnaire):
    started = _project(session, questionnaire)
    created = workshop_group(session, questionnaire)
    long_gone = logins.open_login_session(session, started.analysis_id, 1)
    just_gone = logins.open_login_session(session, started.analysis_id, 1)
    old_presenter = logins.open_presenter_session(session, created.group_id)
    tokens.backdate(session, LoginSession, long_gone, expires_at=timedelta(days=1, minutes=1))
    tokens.backdate(session, LoginSession, just_gone, expires_at=timedelta(hours=1))
    tokens.backdate(session, PresenterSession, old_presenter, expires_at=timedelta(days=2))
    session.add(LoginThrottle(bucket="project:abc", failures=9, window_start=utcnow() - timedelta(days=2)))
    session.commit()

    groups.open_group_session(session, created.group_id, 1)
    hashes = set(session.scalars(select(LoginSession.token_hash)))
    assert hash_token(long_gone) not in hashes
    assert hash_token(just_gone) in hashes  # expired, but kept for a day
    assert session.get(PresenterSession, hash_token(old_presenter)) is None
    assert session.get(LoginThrottle, "project:abc") is None


# --- shared throttle ---------------------------------------------------------------------------------


def _codes_in_one_bucket(count: int) -> tuple[list[str], str]:
    """Random codes whose hashes share the throttle bucket prefix, and one code in another bucket."""
    first = generate_code()
    prefix = hash_code(first)[: throttle.PREFIX_CHARS]
    same, other = [first], None
    while len(same) < count or other is None:
        code = generate_code()
        if hash_code(code).startswith(prefix):
            same.append(code)
        elif other is None:
            other = code
    return same[:count], other


def test_wrong_codes_are_throttled_across_sessions_and_engines_without_locking_out_others(settings):
    migrate(settings.database_url)
    one, two = make_engine(settings.database_url), make_engine(settings.database_url)
    try:
        same, other = _codes_in_one_bucket(throttle.FREE_ATTEMPTS + 1)
        with session_factory(one)() as first:
            for code in same[: throttle.FREE_ATTEMPTS]:
                assert login_throttle.wait_seconds(first, login_throttle.PROJECT, code) == 0
                login_throttle.record_failure(first, login_throttle.PROJECT, code)
        with session_factory(two)() as second:  # another browser session, another replica
            wait = login_throttle.wait_seconds(second, login_throttle.PROJECT, same[-1])
            assert 0 < wait <= throttle.wait_after(throttle.FREE_ATTEMPTS)
            # Codes in any other bucket – almost every real code – are not held up …
            assert login_throttle.wait_seconds(second, login_throttle.PROJECT, other) == 0
            # … nor facilitator codes, nor input that cannot be a code.
            assert login_throttle.wait_seconds(second, login_throttle.FACILITATOR, same[-1]) == 0
            assert login_throttle.wait_seconds(second, login_throttle.PROJECT, "nonsense") == 0
    finally:
        one.dispose()
        two.dispose()


def test_the_global_soft_limit_makes_everyone_wait_only_a_few_seconds(session):
    codes = [generate_code() for _ in range(throttle.GLOBAL_SOFT_LIMIT + 1)]
    for code in codes:
        login_throttle.record_failure(session, login_throttle.FACILITATOR, code)
    fresh = generate_code()
    wait = login_throttle.wait_seconds(session, login_throttle.FACILITATOR, fresh)
    assert 0 < wait <= throttle.GLOBAL_DELAY_SECONDS
    assert login_throttle.wait_seconds(session, login_throttle.PROJECT, fresh) == 0


# --- a login that reads only (issue 12) ---------------------------------------------------------------


def test_resuming_with_a_code_works_on_a_read_only_connection(sqlite_settings, questionnaire):
    url = sqlite_settings.database_url
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        started = _project(s, questionnaire)
    engine.dispose()
    path = url.removeprefix("sqlite:///")
    read_only = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with session_factory(read_only)() as s:
            assert logins.resume_with_code(s, started.code) == started.analysis_id
            assert logins.resume_with_code(s, generate_code()) is None
    finally:
        read_only.dispose()


# --- restore refuses what this version cannot run -----------------------------------------------------


def test_restore_refuses_a_backup_with_an_unknown_schema_revision(
    sqlite_settings, questionnaire, tmp_path, capsys
):
    url = sqlite_settings.database_url
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        _project(s, questionnaire)
    copy = backup(url, tmp_path / "neuer.sqlite3")
    engine.dispose()
    with closing(sqlite3.connect(copy)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
        conn.commit()
    live = Path(url.removeprefix("sqlite:///"))
    before = live.read_bytes()
    with pytest.raises(BackupError, match="nicht kennt"):
        restore(url, copy)
    assert cli_main(["restore", str(copy)], settings=sqlite_settings) != 0
    err = capsys.readouterr().err
    assert "0099" in err and "nichts wurde verändert" in err and "Unknown schema revision" in err
    assert live.read_bytes() == before
    with closing(sqlite3.connect(copy)) as conn:
        conn.execute("DELETE FROM alembic_version")
        conn.commit()
    with pytest.raises(BackupError, match="keinen eindeutigen Schema-Stand"):
        restore(url, copy)
    assert live.read_bytes() == before
