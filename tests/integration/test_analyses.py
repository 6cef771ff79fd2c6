"""Self-analysis use cases end to end on a temp-file SQLite database."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from mintqo.cli import main as cli_main
from mintqo.db.engine import make_engine, session_factory
from mintqo.db.models import AccessCode, Answer, LoginSession, utcnow
from mintqo.domain.profile import Profile
from mintqo.domain.progress import first_open_step
from mintqo.services import analyses, logins
from mintqo.services.answers import answers_of, notes_of, record_answer, save_note
from mintqo.services.demo import create_demo
from tests.support import tokens


@pytest.fixture
def started(session, questionnaire):
    return analyses.start_analysis(
        session,
        questionnaire,
        Profile("Schülerlabor Nord", "Robotik-AG", region="Nord", mint_field="Technik"),
    )


@pytest.fixture
def info(session, started):
    return analyses.analysis_info(session, started.analysis_id)


def test_start_creates_draft_round_one_with_a_rater(info, questionnaire):
    assert (info.initiative, info.project, info.region, info.mint_field) == (
        "Schülerlabor Nord",
        "Robotik-AG",
        "Nord",
        "Technik",
    )
    assert info.round == 1 and info.status == "draft" and not info.submitted
    assert info.edition == questionnaire.edition


def test_access_code_is_stored_only_as_hash(settings, session, started):
    stored = session.scalars(select(AccessCode.code_hash)).all()
    assert len(stored) == 1 and started.code not in stored[0]
    if not settings.database_url.startswith("sqlite"):
        return  # the file check below is about SQLite's files (main, WAL, SHM)
    raw = Path(settings.database_url.removeprefix("sqlite:///"))
    blob = b"".join(p.read_bytes() for p in raw.parent.glob(raw.name + "*"))
    assert started.code.encode() not in blob
    assert started.code.replace("-", "").encode() not in blob


def test_resume_with_code_in_any_spelling(session, started):
    sloppy = started.code.lower().replace("-", " ")
    assert logins.resume_with_code(session, sloppy) == started.analysis_id
    assert logins.resume_with_code(session, "ABCD-EFGH-JKMN-PQRS") is None
    assert logins.resume_with_code(session, "nonsense") is None
    assert logins.resume_with_code(session, "") is None


def test_answers_are_upserted_and_can_be_cleared(session, questionnaire, info):
    args = (session, questionnaire, info.analysis_id, info.rater_id)
    record_answer(*args, "A1.1", "2")
    record_answer(*args, "A1.1", "2")  # repeated callback: idempotent
    record_answer(*args, "A1.1", "4")
    record_answer(*args, "A1.2", "dk")
    record_answer(*args, "A1.3", "na")
    assert answers_of(session, info.analysis_id, info.rater_id) == {
        "A1.1": "4",
        "A1.2": "dk",
        "A1.3": "na",
    }
    record_answer(*args, "A1.3", None)
    assert "A1.3" not in answers_of(session, info.analysis_id, info.rater_id)
    assert session.scalar(select(Answer).where(Answer.statement_id == "A1.1")).value == "4"


@pytest.mark.parametrize(("statement", "value"), [("Z9.9", "1"), ("A1.1", "5"), ("A1.1", "0"), ("A1.1", "")])
def test_bad_answers_are_refused_and_nothing_is_written(session, questionnaire, info, statement, value):
    with pytest.raises(analyses.AnalysisError):
        record_answer(session, questionnaire, info.analysis_id, info.rater_id, statement, value)
    assert answers_of(session, info.analysis_id, info.rater_id) == {}


def test_note_and_flag_are_saved_independently(session, questionnaire, info):
    save_note(session, questionnaire, info.analysis_id, "B2", note="Förderung läuft 2027 aus")
    save_note(session, questionnaire, info.analysis_id, "B2", action_needed=True)
    save_note(session, questionnaire, info.analysis_id, "C1", action_needed=True)
    save_note(session, questionnaire, info.analysis_id, "C1", action_needed=False)
    notes = notes_of(session, info.analysis_id)
    assert notes["B2"] == analyses.NoteState("Förderung läuft 2027 aus", True)
    assert notes["C1"] == analyses.NoteState("", False)
    with pytest.raises(analyses.AnalysisError):
        save_note(session, questionnaire, info.analysis_id, "B2", note="x" * 6000)
    assert notes_of(session, info.analysis_id)["B2"].note == "Förderung läuft 2027 aus"


def test_submit_and_reopen(session, info):
    analyses.submit(session, info.analysis_id)
    after = analyses.analysis_info(session, info.analysis_id)
    assert after.submitted and after.submitted_at is not None
    analyses.reopen(session, info.analysis_id)
    again = analyses.analysis_info(session, info.analysis_id)
    assert not again.submitted and again.submitted_at is None
    with pytest.raises(analyses.AnalysisError):
        analyses.submit(session, 9999)


def test_login_session_token_is_hashed_and_expires(session, info):
    token = logins.open_login_session(session, info.analysis_id, hours=1)
    assert tokens.analysis_of(session, token) == info.analysis_id
    assert logins.login_is_valid(session, token)  # the check on every script run says the same
    assert token not in session.scalars(select(LoginSession.token_hash)).all()
    assert tokens.analysis_of(session, token + "x") is None
    assert not logins.login_is_valid(session, token + "x") and not logins.login_is_valid(session, "")
    session.execute(update(LoginSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert tokens.analysis_of(session, token) is None
    assert not logins.login_is_valid(session, token)
    fresh = logins.open_login_session(session, info.analysis_id, hours=1)
    logins.close_login_session(session, fresh)
    assert tokens.analysis_of(session, fresh) is None
    assert not logins.login_is_valid(session, fresh)


def test_resume_lands_on_first_step_with_an_open_statement(session, questionnaire, info):
    for statement in questionnaire.subcriterion("A1").statements:
        record_answer(session, questionnaire, info.analysis_id, info.rater_id, statement.id, "3")
    record_answer(session, questionnaire, info.analysis_id, info.rater_id, "A2.1", "3")
    answers = answers_of(session, info.analysis_id, info.rater_id)
    assert first_open_step(questionnaire, answers) == "A2"


def test_two_concurrent_writers_lose_nothing(settings, engine, questionnaire, started, info):
    """Two processes' worth of engines write to one analysis at once; every answer survives."""
    statements = [st.id for st in questionnaire.statements()]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def writer(ids: list[str], value: str) -> None:
        own = make_engine(settings.database_url)
        try:
            barrier.wait()
            for sid in ids:
                with session_factory(own)() as s:
                    record_answer(s, questionnaire, info.analysis_id, info.rater_id, sid, value)
        except BaseException as exc:
            errors.append(exc)
        finally:
            own.dispose()

    threads = [
        threading.Thread(target=writer, args=(statements[0::2], "1")),
        threading.Thread(target=writer, args=(statements[1::2], "4")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    with session_factory(engine)() as s:
        answers = answers_of(s, info.analysis_id, info.rater_id)
    assert len(answers) == len(statements)
    assert all(answers[sid] == "1" for sid in statements[0::2])
    assert all(answers[sid] == "4" for sid in statements[1::2])


def test_demo_is_a_complete_submitted_analysis(session, questionnaire):
    started = create_demo(session, questionnaire)
    info = analyses.analysis_info(session, started.analysis_id)
    answers = answers_of(session, info.analysis_id, info.rater_id)
    assert info.submitted
    assert len(answers) == questionnaire.statement_count
    assert logins.resume_with_code(session, started.code) == info.analysis_id


def test_cli_init_db_and_demo(settings, capsys):
    assert cli_main(["init-db"], settings=settings) == 0
    assert cli_main(["demo"], settings=settings) == 0
    out = capsys.readouterr().out
    code = next(line.split(": ", 1)[1] for line in out.splitlines() if line.startswith("Zugangscode"))
    engine = make_engine(settings.database_url)
    with session_factory(engine)() as s:
        assert logins.resume_with_code(s, code) is not None
    engine.dispose()


def test_cli_reports_unreachable_database_without_traceback(tmp_path, capsys):
    from mintqo.config import Settings

    blocker = tmp_path / "file"  # a database path below a regular file cannot be created
    blocker.write_text("not a directory")
    bad = Settings(database_url=f"sqlite:///{blocker}/sub/db.sqlite3")
    assert cli_main(["init-db"], settings=bad) == 2
    err = capsys.readouterr().err
    assert "Fehler" in err and "Traceback" not in err
