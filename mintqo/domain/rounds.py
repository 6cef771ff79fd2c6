"""Rounds: carry answers into a newer edition and compare two rounds sub-criterion by sub-criterion."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Results, format_score, round_score

NOT_IN_BOTH = "nicht in beiden Runden"


def carry_over(previous: Questionnaire, current: Questionnaire, answers: Mapping[str, str]) -> dict[str, str]:
    """Previous answers under the current edition's ids: by id, and by the edition's explicit mapping.

    An explicit mapping wins over a statement that kept its id, so the result never depends on
    the order of the answers.
    """
    mapped = {} if previous.edition == current.edition else current.mappings.get(previous.edition, {})
    out = {old: value for old, value in answers.items() if old not in mapped and current.has_statement(old)}
    for old, new in sorted(mapped.items()):
        if new is not None and old in answers and current.has_statement(new):
            out[new] = answers[old]
    return out


@dataclass(frozen=True)
class RoundChange:
    """One sub-criterion before and after; `comparable` is False unless both rounds have it."""

    subcriterion_id: str
    label: str
    before: float | None
    after: float | None
    comparable: bool

    @property
    def delta(self) -> float | None:
        """Change in displayed (rounded) scores, or None."""
        if not self.comparable or self.before is None or self.after is None:
            return None
        return round(round_score(self.after) - round_score(self.before), 1)

    @property
    def text(self) -> str:
        """German display of the change, e.g. "+0,5", "±0,0" or "nicht in beiden Runden"."""
        if not self.comparable:
            return NOT_IN_BOTH
        if self.delta is None:
            return "keine Bewertung"
        sign = "+" if self.delta > 0 else ("±" if self.delta == 0 else "−")
        return f"{sign}{format_score(abs(self.delta))}"


def compare(before: Results, after: Results) -> list[RoundChange]:
    """Sub-criteria of both rounds matched by id; those in only one round are marked, never zero."""
    old = {s.subcriterion.id: s for s in before.subscores}
    new = {s.subcriterion.id: s for s in after.subscores}
    out = []
    for sub_id, s in new.items():
        prev = old.get(sub_id)
        out.append(
            RoundChange(sub_id, s.subcriterion.label, prev.mean if prev else None, s.mean, prev is not None)
        )
    for sub_id, s in old.items():
        if sub_id not in new:
            out.append(RoundChange(sub_id, s.subcriterion.label, s.mean, None, False))
    return out
