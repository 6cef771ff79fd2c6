"""Team rating: where members diverge, and which value counts without an agreed one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mintqo.domain.profile import clean_text
from mintqo.domain.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire

MAX_NAME = 40
MAX_REASON = 500

# Shown in the UI next to every team figure, so that nobody has to guess; plain words, no statistics.
RULE_TEXT = (
    "Welcher Wert zählt? Hat das Team einen Wert vereinbart, zählt dieser. Sonst zählt die mittlere "
    "Bewertung: Alle Bewertungen 1–4 der Reihe nach, die in der Mitte zählt – bei zwei in der Mitte "
    "die niedrigere (aus 2, 3 und 4 wird 3; aus 2 und 4 wird 2). „Weiß nicht“ oder „nicht zutreffend“ "
    "zählt nur, wenn niemand 1–4 gewählt hat; dann geht „weiß nicht“ vor."
)


def validate_name(raw: str | None) -> tuple[str | None, str | None]:
    """A member's display name (no e-mail needed), or a German message."""
    name = clean_text(raw)
    if len(name) < 2:
        return None, "Bitte geben Sie Ihren Vornamen oder ein Kürzel an (mindestens 2 Zeichen)."
    if len(name) > MAX_NAME:
        return None, f"Der Name darf höchstens {MAX_NAME} Zeichen haben."
    return name, None


def divergent(values: list[str]) -> bool:
    """Whether members' answers differ enough to discuss.

    Two or more scale steps apart, or "weiß nicht" next to a rating.
    """
    scores = [int(v) for v in values if v.isdigit()]
    if len(scores) >= 2 and max(scores) - min(scores) >= 2:
        return True
    return bool(scores) and DONT_KNOW in values


def fallback_value(values: list[str]) -> str | None:
    """The value that counts without an agreed one (see RULE_TEXT)."""
    if not values:
        return None
    scores = sorted(int(v) for v in values if v.isdigit())
    if scores:
        return str(scores[(len(scores) - 1) // 2])
    return DONT_KNOW if DONT_KNOW in values else NOT_APPLICABLE


@dataclass(frozen=True)
class StatementRatings:
    """Every member's answer to one statement, the agreed value and the value that counts."""

    statement_id: str
    by_rater: Mapping[int, str]
    agreed: str | None
    reason: str
    counts: str | None

    @property
    def divergent(self) -> bool:
        """Members diverge (whether or not the team has agreed since)."""
        return divergent(list(self.by_rater.values()))

    @property
    def open(self) -> bool:
        """Members diverge and the team has not agreed on a value yet."""
        return self.divergent and self.agreed is None


def team_statements(
    q: Questionnaire,
    ratings: Mapping[int, Mapping[str, str]],
    agreed: Mapping[str, tuple[str, str]],
) -> list[StatementRatings]:
    """Per statement, in questionnaire order: members' answers, agreement and the counting value."""
    out = []
    for st in q.statements():
        by_rater = {rid: answers[st.id] for rid, answers in ratings.items() if st.id in answers}
        value, reason = agreed.get(st.id, (None, ""))
        counts = value or fallback_value(list(by_rater.values()))
        out.append(StatementRatings(st.id, by_rater, value, reason, counts))
    return out


def effective_answers(
    q: Questionnaire,
    ratings: Mapping[int, Mapping[str, str]],
    agreed: Mapping[str, tuple[str, str]],
) -> dict[str, str]:
    """The answers the analysis's scores use: agreed values, else the documented fallback."""
    return {s.statement_id: s.counts for s in team_statements(q, ratings, agreed) if s.counts is not None}
