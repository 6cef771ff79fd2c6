"""Questionnaire model: main criteria, sub-criteria, statements and the rating scale."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

# The answer values every edition must offer: four scoring levels and two non-scoring options.
SCORING_VALUES: tuple[str, ...] = ("1", "2", "3", "4")
NOT_APPLICABLE = "na"
DONT_KNOW = "dk"
ANSWER_VALUES: tuple[str, ...] = (*SCORING_VALUES, NOT_APPLICABLE, DONT_KNOW)


@dataclass(frozen=True)
class ScaleOption:
    """One answer option; `score` is None for options that never count."""

    value: str
    label: str
    short: str
    score: int | None


@dataclass(frozen=True)
class Statement:
    """A rated statement with a stable id such as "A1.2"."""

    id: str
    text: str


@dataclass(frozen=True)
class SubCriterion:
    """One step of the walkthrough: explanation, practice example and statements."""

    id: str
    title: str
    explanation: str
    example: str
    statements: tuple[Statement, ...]
    criterion_id: str = ""

    @property
    def label(self) -> str:
        """Id and title, e.g. "A1 Bedarf und Ausgangslage"."""
        return f"{self.id} {self.title}"


@dataclass(frozen=True)
class Criterion:
    """A main criterion (Angebots-, Ressourcen-, Ergebnisqualität)."""

    id: str
    title: str
    description: str
    subcriteria: tuple[SubCriterion, ...]


@dataclass(frozen=True)
class Questionnaire:
    """One edition of the instrument, immutable once loaded."""

    edition: str
    title: str
    short_title: str
    language: str
    description: str
    scale: tuple[ScaleOption, ...]
    criteria: tuple[Criterion, ...]
    # from edition → {old statement id: new statement id, or None where a statement was dropped}
    mappings: dict[str, dict[str, str | None]] = field(default_factory=dict, compare=False)
    _statements: dict[str, Statement] = field(default_factory=dict, repr=False, compare=False)
    _subcriteria: dict[str, SubCriterion] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for sub in self.subcriteria:
            self._subcriteria[sub.id] = sub
            for st in sub.statements:
                self._statements[st.id] = st

    @property
    def subcriteria(self) -> list[SubCriterion]:
        """All sub-criteria in walkthrough order."""
        return [sub for crit in self.criteria for sub in crit.subcriteria]

    def statements(self) -> Iterator[Statement]:
        """All statements in walkthrough order."""
        for sub in self.subcriteria:
            yield from sub.statements

    @property
    def statement_count(self) -> int:
        """Number of statements in this edition."""
        return len(self._statements)

    def statement(self, statement_id: str) -> Statement:
        """The statement with this id; KeyError if unknown."""
        return self._statements[statement_id]

    def subcriterion(self, sub_id: str) -> SubCriterion:
        """The sub-criterion with this id; KeyError if unknown."""
        return self._subcriteria[sub_id]

    def has_statement(self, statement_id: str) -> bool:
        """Whether this edition contains the statement id."""
        return statement_id in self._statements

    def has_subcriterion(self, sub_id: str) -> bool:
        """Whether this edition contains the sub-criterion id."""
        return sub_id in self._subcriteria

    def option(self, value: str) -> ScaleOption:
        """The scale option for an answer value."""
        for opt in self.scale:
            if opt.value == value:
                return opt
        raise KeyError(value)
