"""The report's texts, built from `ReportData` (pure: no database, no layout); tables in `table_rows`."""

from __future__ import annotations

from dataclasses import dataclass

from mintqo.domain.plaintext import clean
from mintqo.domain.scoring import Band, format_score, summary
from mintqo.domain.team import RULE_TEXT
from mintqo.report.data import ReportData

NBSP = "\u00a0"  # keeps "n. z." and "50 %" together when a header wraps

NO_CHARTS = (
    "Die Grafiken konnten auf diesem Server nicht erzeugt werden (kein Browser für die Bildausgabe). "
    "Die Tabelle „Alle Werte“ enthält dieselben Zahlen."
)


NO_STRENGTHS = "Ohne Bewertungen 1–4 gibt es noch keine Stärken und keine Ansatzpunkte."
KEYWORDS = ("Selbstanalyse", "Qualitätsentwicklung", "außerschulische MINT-Bildung")


@dataclass(frozen=True)
class NoteItem:
    """A sub-criterion flagged "Handlungsbedarf" or with a note."""

    label: str
    action_needed: bool
    note: str


def date_text(value: object) -> str:
    """A date as "dd.mm.yyyy" ("" for none)."""
    return f"{value:%d.%m.%Y}" if value is not None else ""


def comparison_text(data: ReportData) -> str:
    """Which group comparison the report shows (label and n), or why none is shown."""
    c = data.comparison
    if c is None:
        return "Kein Gruppenvergleich: Das Projekt gehört zu keiner Gruppe mit freigegebenem Gruppenbild."
    if c.picture is None:
        return f"Kein Gruppenvergleich – {c.label}: {c.message}"
    return f"{c.label} (n = {c.picture.n_members} Analysen)"


def facts(data: ReportData) -> list[tuple[str, str]]:
    """The title page's key facts under the project and initiative: (label, value)."""
    info = data.info
    status = f"abgeschlossen am {date_text(info.submitted_at)}" if info.submitted else "in Bearbeitung"
    rows = [
        ("Runde", f"{info.round} ({status})"),
        ("Stand des Berichts", date_text(data.created)),
        ("Fragebogen", f"{data.q.short_title} (Ausgabe {data.q.edition})"),
    ]
    rows += [
        (label, value)
        for label, value in (
            ("Region", info.region),
            ("Zielgruppe", info.target_group),
            ("MINT-Bereich", info.mint_field),
        )
        if value
    ]
    rows.append(("Team", "1 Person" if info.team_size == 1 else f"{info.team_size} Personen haben bewertet"))
    rows.append(("Gruppenvergleich", comparison_text(data)))
    return rows


def _clean(text: str) -> str:
    """One line: runs of whitespace (newlines, tabs) become one space."""
    return " ".join(clean(text).split())


def metadata(data: ReportData) -> dict[str, str]:
    """The PDF's document properties: title, subject, author and keywords, each one clean line."""
    info, q = data.info, data.q
    keywords = (*KEYWORDS, q.short_title, f"Runde {info.round}")
    return {
        "title": _clean(f"Bericht zur Selbstanalyse – {info.project} (Runde {info.round})"),
        "subject": _clean(f"{info.initiative} · {q.title}"),
        "author": _clean(info.initiative),
        "keywords": ", ".join(_clean(k) for k in keywords),
    }


def has_scores(data: ReportData) -> bool:
    """Whether at least one sub-criterion has a rating 1–4 (else there is no value to show or draw)."""
    return any(s.mean is not None for s in data.results.subscores)


def _statements(n: int) -> str:
    return "1 Aussage ist" if n == 1 else f"{n} Aussagen sind"


def _answer_counts(data: ReportData) -> list[str]:
    """What the answers without a rating are, as sentences (only the kinds that occur)."""
    subs = data.results.subscores
    dont_know = sum(s.n_dont_know for s in subs)
    not_applicable = sum(s.n_not_applicable for s in subs)
    missing = data.results.total - data.results.answered
    lines = []
    if dont_know:
        lines.append(f"{_statements(dont_know)} mit „weiß nicht“ markiert – klären Sie das im Team.")
    if not_applicable:
        lines.append(f"{_statements(not_applicable)} als „nicht zutreffend“ markiert.")
    if missing and data.results.answered:
        lines.append(
            f"{missing} von {data.results.total} Aussagen {'ist' if missing == 1 else 'sind'} unbeantwortet."
        )
    return lines


def no_scores_text(data: ReportData) -> str:
    """Why the report shows no profile, bars, strengths or development areas."""
    what = (
        "Es ist noch keine Aussage beantwortet"
        if data.results.answered == 0
        else "Noch keine Aussage ist mit 1–4 bewertet"
    )
    return (
        f"{what}. Deshalb zeigt der Bericht kein Profil, keine Balken und keine Stärken oder "
        "Ansatzpunkte: „nicht zutreffend“, „weiß nicht“ und offene Aussagen zählen nie als null."
    )


def at_a_glance(data: ReportData) -> list[str]:
    """The results page's plain-language summary; "(3,8 von 4)" never breaks across lines.

    Without any rating 1–4 it says so instead of "no strength yet", which would read like a verdict.
    """
    if not has_scores(data):
        if data.results.answered == 0:
            return ["Das Team hat noch keine Aussage beantwortet – der Bericht enthält daher keine Werte."]
        first = "Noch keine Aussage ist mit 1–4 bewertet – der Bericht enthält daher keine Werte."
        return [first, *_answer_counts(data)]
    return [line.replace(" von 4)", f"{NBSP}von{NBSP}4)") for line in summary(data.results)]


def tiles_caption(data: ReportData) -> str:
    """The line under the main-criteria tiles."""
    if not has_scores(data):
        return "Noch keine Bewertung 1–4, daher keine Mittelwerte."
    return "Mittelwerte der bewerteten Unterkriterien auf der Skala 1–4."


def unscored_caption(data: ReportData) -> str | None:
    """The sub-criteria without a value, when some others have one (else the profile says why none)."""
    unscored = data.results.unscored()
    if not unscored or not has_scores(data):
        return None
    return "Ohne Bewertung (nur „nicht zutreffend“, „weiß nicht“ oder offen): " + ", ".join(
        s.subcriterion.label for s in unscored
    )


def team_rule(data: ReportData) -> str | None:
    """How a team's ratings become one value, when more than one person rated."""
    return RULE_TEXT if data.info.team_size > 1 else None


def criterion_tiles(data: ReportData) -> list[tuple[str, str, Band | None]]:
    """Per main criterion: title, score text and band."""
    return [(f"{c.id} {c.title}", format_score(c.mean), c.band) for c in data.results.criteria]


def note_items(data: ReportData) -> list[NoteItem]:
    """Flagged sub-criteria and those with a note, in questionnaire order."""
    out = []
    for sub in data.q.subcriteria:
        state = data.notes.get(sub.id)
        if state is not None and (state.action_needed or state.note):
            out.append(NoteItem(sub.label, state.action_needed, state.note))
    return out


def measure_notes(data: ReportData) -> list[tuple[str, str]]:
    """(what, note) of the measures with a note, in the table's order (notes flow as text, unclipped)."""
    return [(m.what, m.note) for m in data.measures if m.note]


def radar_caption(data: ReportData) -> str:
    """What the radar's lines and bands mean."""
    parts = ["Blau: Ihr Projekt (Mittelwert je Unterkriterium auf der Skala 1–4)."]
    if data.previous is not None:
        parts.append(f"Orange gepunktet: Runde {data.previous.round}.")
    if data.band is not None and data.comparison is not None:
        parts.append(
            f"Grau: die mittleren 50 % des Vergleichs {data.comparison.label} "
            f"(n = {data.band.n_members} Analysen), gestrichelt: sein Median."
        )
    parts.append(
        "Ringe: rot Entwicklungsfeld (unter 2,0), gelb ausbaufähig (2,0–2,9), "
        "grün solide (3,0–3,2) und Stärke (ab 3,3)."
    )
    return " ".join(parts)


def about(data: ReportData) -> str:
    """How the report came about and what its numbers rest on."""
    text = (
        f"Erstellt mit mintqo am {date_text(data.created)} aus der Selbstanalyse des Projekts "
        f"(Runde {data.info.round}, Fragebogen {data.q.short_title}). Werte sind Mittelwerte der "
        "Bewertungen 1–4; „nicht zutreffend“, „weiß nicht“ und offene Aussagen zählen nie als null. "
    )
    if data.band is not None:
        text += (
            "Gruppenzahlen stammen nur aus einem von der Moderation freigegebenen Gruppenbild und "
            f"beruhen auf mindestens {data.band.k} Analysen; einzelne Antworten anderer Projekte sind "
            "nicht enthalten."
        )
    else:
        text += "Der Bericht enthält keine Zahlen anderer Projekte."
    return text
