"""The walkthrough use case: one rater's answers, the notes and their save times, read in one go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from mintqo.db.models import Answer, SubcriterionNote
from mintqo.domain.questionnaire import SubCriterion
from mintqo.services.analyses import NoteState


@dataclass(frozen=True)
class WalkthroughView:
    """What the walkthrough shows of an analysis as one team member sees it."""

    answers: Mapping[str, str]  # this rater's answers by statement id
    notes: Mapping[str, NoteState]  # the team's notes and flags by sub-criterion id
    answered_at: Mapping[str, datetime]  # when each of these answers was written
    noted_at: Mapping[str, datetime]  # when each note or flag was written

    def saved_at(self, sub: SubCriterion) -> datetime | None:
        """When the newest answer (of this rater) or the note of one step was written, if any."""
        times = [self.answered_at[s.id] for s in sub.statements if s.id in self.answered_at]
        if sub.id in self.noted_at:
            times.append(self.noted_at[sub.id])
        return max(times) if times else None


# Read on every click: statements built once.
_ANSWERS = select(Answer.statement_id, Answer.value, Answer.updated_at).where(
    Answer.analysis_id == bindparam("analysis_id"), Answer.rater_id == bindparam("rater_id")
)
_NOTES = select(
    SubcriterionNote.subcriterion_id,
    SubcriterionNote.note,
    SubcriterionNote.action_needed,
    SubcriterionNote.updated_at,
).where(SubcriterionNote.analysis_id == bindparam("analysis_id"))


def walkthrough_view(session: Session, analysis_id: int, rater_id: int) -> WalkthroughView:
    """Read the answers of RATER_ID and the notes of ANALYSIS_ID (two queries)."""
    answers, answered_at = {}, {}
    ids = {"analysis_id": analysis_id, "rater_id": rater_id}
    for statement_id, value, updated_at in session.execute(_ANSWERS, ids):
        answers[statement_id] = value
        answered_at[statement_id] = updated_at
    notes, noted_at = {}, {}
    for sub_id, note, flag, updated_at in session.execute(_NOTES, ids):
        notes[sub_id] = NoteState(note, flag)
        noted_at[sub_id] = updated_at
    return WalkthroughView(answers, notes, answered_at, noted_at)
