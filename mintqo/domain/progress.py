"""Walkthrough progress: which steps are complete and where to continue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from mintqo.domain.questionnaire import Questionnaire, SubCriterion


class StepState(Enum):
    """Completion of one sub-criterion step."""

    EMPTY = "offen"
    PARTIAL = "begonnen"
    COMPLETE = "vollständig"

    @property
    def symbol(self) -> str:
        """Compact marker for the step navigator."""
        return {"offen": "○", "begonnen": "◐", "vollständig": "✓"}[self.value]


@dataclass(frozen=True)
class Progress:
    """Answered vs total statements of an analysis."""

    answered: int
    total: int

    @property
    def fraction(self) -> float:
        """Share answered, 0.0–1.0."""
        return self.answered / self.total if self.total else 1.0

    @property
    def complete(self) -> bool:
        """Whether every statement has an answer."""
        return self.answered >= self.total


def step_state(sub: SubCriterion, answers: Mapping[str, str]) -> StepState:
    """How far a step is answered ("nicht zutreffend" and "weiß nicht" count as answers)."""
    done = sum(1 for st in sub.statements if st.id in answers)
    if done == 0:
        return StepState.EMPTY
    return StepState.COMPLETE if done == len(sub.statements) else StepState.PARTIAL


def progress(questionnaire: Questionnaire, answers: Mapping[str, str]) -> Progress:
    """Answered and total statements."""
    answered = sum(1 for st in questionnaire.statements() if st.id in answers)
    return Progress(answered, questionnaire.statement_count)


def first_open_step(questionnaire: Questionnaire, answers: Mapping[str, str]) -> str | None:
    """Id of the first sub-criterion with an unanswered statement, or None when all are answered."""
    for sub in questionnaire.subcriteria:
        if step_state(sub, answers) is not StepState.COMPLETE:
            return sub.id
    return None
