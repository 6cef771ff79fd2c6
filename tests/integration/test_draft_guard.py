"""One draft guard: once an analysis is submitted, no answer, note, flag or agreed value changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from mintqo.db.engine import session_factory
from mintqo.db.models import Answer, Consensus, SubcriterionNote
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import analyses, team
from mintqo.services.analyses import LOCKED, AnalysisError
from mintqo.services.answers import (
    MISSING,
    answers_of,
    notes_of,
    record_answer,
    replace_answer,
    replace_note,
    save_note,
)


def _stored(session: Session, analysis_id: int) -> tuple[list, list, list]:
    """Every row the writes could touch, as plain tuples (timestamps included)."""
    session.expire_all()
    answers = session.execute(
        select(Answer.rater_id, Answer.statement_id, Answer.value, Answer.updated_at)
        .where(Answer.analysis_id == analysis_id)
        .order_by(Answer.rater_id, Answer.statement_id)
    ).all()
    notes = session.execute(
        select(SubcriterionNote.subcriterion_id, SubcriterionNote.note, SubcriterionNote.action_needed)
        .where(SubcriterionNote.analysis_id == analysis_id)
        .order_by(SubcriterionNote.subcriterion_id)
    ).all()
    agreed = session.execute(
        select(Consensus.statement_id, Consensus.value, Consensus.reason)
        .where(Consensus.analysis_id == analysis_id)
        .order_by(Consensus.statement_id)
    ).all()
    return answers, notes, agreed


@pytest.fixture
def submitted(session: Session, questionnaire: Questionnaire) -> analyses.AnalysisInfo:
    """A submitted analysis with an answer, a note with flag and an agreed value."""
    q = questionnaire
    started = analyses.start_analysis(session, q, Profile("Initiative", "Projekt", "Nord"))
    info = analyses.analysis_info(session, started.analysis_id)
    record_answer(session, q, info.analysis_id, info.rater_id, "A1.1", "3")
    save_note(session, q, info.analysis_id, "A1", note="Belege im Ordner", action_needed=True)
    team.agree(session, q, info.analysis_id, "A1.1", "3", "so vereinbart")
    analyses.submit(session, info.analysis_id)
    return info


WRITES = {
    "change an answer": lambda s, q, i: record_answer(s, q, i.analysis_id, i.rater_id, "A1.1", "1"),
    "add an answer": lambda s, q, i: record_answer(s, q, i.analysis_id, i.rater_id, "A1.2", "2"),
    "clear an answer": lambda s, q, i: record_answer(s, q, i.analysis_id, i.rater_id, "A1.1", None),
    "change a note": lambda s, q, i: save_note(s, q, i.analysis_id, "A1", note="später geändert"),
    "add a note": lambda s, q, i: save_note(s, q, i.analysis_id, "A2", note="neu"),
    "clear a flag": lambda s, q, i: save_note(s, q, i.analysis_id, "A1", action_needed=False),
    "set a flag": lambda s, q, i: save_note(s, q, i.analysis_id, "A2", action_needed=True),
    "change an answer (walkthrough)": lambda s, q, i: replace_answer(
        s, q, i.analysis_id, i.rater_id, "A1.1", "1"
    ),
    "clear an answer (walkthrough)": lambda s, q, i: replace_answer(
        s, q, i.analysis_id, i.rater_id, "A1.1", None
    ),
    "change a note (walkthrough)": lambda s, q, i: replace_note(s, q, i.analysis_id, "A1", note="später"),
    "set a flag (walkthrough)": lambda s, q, i: replace_note(s, q, i.analysis_id, "A2", action_needed=True),
    "change an agreed value": lambda s, q, i: team.agree(s, q, i.analysis_id, "A1.1", "1", "danach"),
    "add an agreed value": lambda s, q, i: team.agree(s, q, i.analysis_id, "A1.2", "2"),
    "withdraw an agreed value": lambda s, q, i: team.agree(s, q, i.analysis_id, "A1.1", None),
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_write_to_a_submitted_analysis_is_refused_in_german(session, questionnaire, submitted, write):
    before = _stored(session, submitted.analysis_id)
    with pytest.raises(AnalysisError) as refused:
        WRITES[write](session, questionnaire, submitted)
    assert str(refused.value) == LOCKED
    assert "abgeschlossen" in LOCKED and "Wieder öffnen" in LOCKED
    assert _stored(session, submitted.analysis_id) == before
    # The session is still usable after the refusal, and "Wieder öffnen" makes the same write work.
    analyses.reopen(session, submitted.analysis_id)
    WRITES[write](session, questionnaire, submitted)
    assert _stored(session, submitted.analysis_id) != before


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_writes_to_a_missing_analysis_say_so_without_a_database_error(
    session, questionnaire, submitted, write
):
    gone = analyses.AnalysisInfo(**{**submitted.__dict__, "analysis_id": submitted.analysis_id + 1000})
    with pytest.raises(AnalysisError) as refused:
        WRITES[write](session, questionnaire, gone)
    assert str(refused.value) == MISSING
    assert notes_of(session, gone.analysis_id) == {}
    assert answers_of(session, gone.analysis_id, gone.rater_id) == {}


def test_draft_writes_keep_what_they_do_not_name(session, questionnaire):
    started = analyses.start_analysis(session, questionnaire, Profile("I", "P"))
    aid = started.analysis_id
    save_note(session, questionnaire, aid, "B1", action_needed=True)
    save_note(session, questionnaire, aid, "B1", note="Text")
    assert notes_of(session, aid)["B1"] == analyses.NoteState("Text", True)
    save_note(session, questionnaire, aid, "B1", action_needed=False)
    assert notes_of(session, aid)["B1"] == analyses.NoteState("Text", False)


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_a_fresh_session_per_write_like_the_app_meets_the_same_guard(
    engine, session, questionnaire, submitted, write
):
    """The app opens one session per save (an autosave then commits on a connection of its own)."""
    before = _stored(session, submitted.analysis_id)
    with session_factory(engine)() as fresh, pytest.raises(AnalysisError) as refused:
        WRITES[write](fresh, questionnaire, submitted)
    assert str(refused.value) == LOCKED
    assert _stored(session, submitted.analysis_id) == before
    analyses.reopen(session, submitted.analysis_id)
    with session_factory(engine)() as fresh:
        WRITES[write](fresh, questionnaire, submitted)
    # Committed: another session sees it.
    assert _stored(session, submitted.analysis_id) != before


def test_the_walkthrough_saves_return_what_they_replaced(engine, session, questionnaire):
    """The two-window notice compares the replaced value with what the tab showed."""
    q = questionnaire
    info = analyses.analysis_info(session, analyses.start_analysis(session, q, Profile("I", "P")).analysis_id)
    aid, rid = info.analysis_id, info.rater_id
    with session_factory(engine)() as fresh:  # like the app: a fresh session per save
        assert replace_answer(fresh, q, aid, rid, "A1.1", "2") is None
    with session_factory(engine)() as fresh:
        assert replace_answer(fresh, q, aid, rid, "A1.1", "4") == "2"
    with session_factory(engine)() as fresh:
        assert replace_answer(fresh, q, aid, rid, "A1.1", None) == "4"
    with session_factory(engine)() as fresh:
        assert replace_answer(fresh, q, aid, rid, "A1.1", None) is None  # nothing to clear: no error
        assert replace_note(fresh, q, aid, "A1", note="Text") == analyses.NoteState()
    with session_factory(engine)() as fresh:
        assert replace_note(fresh, q, aid, "A1", action_needed=True) == analyses.NoteState("Text", False)
    assert replace_answer(session, q, aid, rid, "A1.2", "3") is None  # a session in use commits too
    session.rollback()
    assert answers_of(session, aid, rid) == {"A1.2": "3"}
    assert notes_of(session, aid) == {"A1": analyses.NoteState("Text", True)}
