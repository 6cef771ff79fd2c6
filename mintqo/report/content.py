"""The report's texts and table rows, built from `ReportData` (pure: no database, no layout)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mintqo.domain.anonymity import CHANGE, Withheld
from mintqo.domain.benchmark import AxisStat, criterion_item, sub_item
from mintqo.domain.plaintext import clean
from mintqo.domain.rounds import compare
from mintqo.domain.scoring import Band, format_score, open_points, summary
from mintqo.domain.team import RULE_TEXT
from mintqo.report.data import ReportData

Table = tuple[list[str], list[list[str]]]
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


def _date(value: object) -> str:
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
    status = f"abgeschlossen am {_date(info.submitted_at)}" if info.submitted else "in Bearbeitung"
    rows = [
        ("Runde", f"{info.round} ({status})"),
        ("Stand des Berichts", _date(data.created)),
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


def _band_cells(data: ReportData, item: str) -> list[str]:
    pic = data.band
    if pic is None:
        return []
    axis = pic.axes.get(item)
    if isinstance(axis, AxisStat) and axis.median is not None:
        return [format_score(axis.median), f"{format_score(axis.q1)}–{format_score(axis.q3)}", str(axis.n)]
    held = isinstance(axis, Withheld) and axis.reason == CHANGE
    return ["zurückgehalten" if held else "zu wenige", "–", "–"]


def band_headers(data: ReportData) -> list[str]:
    """Column headers of the comparison's numbers (none without a released band)."""
    return ["Median", f"mittlere 50{NBSP}%", "n"] if data.band is not None else []


def value_table(data: ReportData) -> Table:
    """One row per sub-criterion: score, band, the counts behind it and the comparison's numbers."""
    headers = ["Id", "Unterkriterium", "Wert", "Einstufung", "bewertet", f"n.{NBSP}z. / w.{NBSP}n. / offen"]
    rows = [
        [
            s.subcriterion.id,
            s.subcriterion.title,
            format_score(s.mean) if s.mean is not None else "–",
            s.band.value if s.band else "keine Bewertung",
            str(s.n_scoring),
            f"{s.n_not_applicable} / {s.n_dont_know} / {s.n_open}",
            *_band_cells(data, sub_item(s.subcriterion.id)),
        ]
        for s in data.results.subscores
    ]
    return headers + band_headers(data), rows


def criteria_table(data: ReportData) -> Table:
    """One row per main criterion: score, band and the comparison's numbers."""
    headers = ["Hauptkriterium", "Wert", "Einstufung", "Unterkriterien bewertet"]
    rows = [
        [
            f"{c.id} {c.title}",
            format_score(c.mean) if c.mean is not None else "–",
            c.band.value if c.band else "keine Bewertung",
            str(c.n_subcriteria),
            *_band_cells(data, criterion_item(c.id)),
        ]
        for c in data.results.criteria
    ]
    return headers + band_headers(data), rows


def note_items(data: ReportData) -> list[NoteItem]:
    """Flagged sub-criteria and those with a note, in questionnaire order."""
    out = []
    for sub in data.q.subcriteria:
        state = data.notes.get(sub.id)
        if state is not None and (state.action_needed or state.note):
            out.append(NoteItem(sub.label, state.action_needed, state.note))
    return out


def open_point_items(data: ReportData) -> list[tuple[str, str]]:
    """Statements answered "weiß nicht": (statement id, text)."""
    return open_points(data.q, data.answers)


def open_point_table(data: ReportData) -> Table:
    """The statements answered "weiß nicht", as a table like the report's other lists."""
    return ["Id", "Aussage"], [[statement_id, text] for statement_id, text in open_point_items(data)]


def _sub_label(data: ReportData, sub_id: str) -> str:
    return data.q.subcriterion(sub_id).label if data.q.has_subcriterion(sub_id) else sub_id


def measure_table(data: ReportData) -> Table:
    """The project's measures up to this round: sub-criterion, what, who, due, status, round."""
    headers = ["Unterkriterium", "Maßnahme", "Wer", "Bis", "Status", "Runde"]
    rows = [
        [
            _sub_label(data, m.subcriterion_id),
            m.what,
            m.who or "–",
            _date(m.due) or "–",
            m.status,
            str(m.round),
        ]
        for m in data.measures
    ]
    return headers, rows


def measure_notes(data: ReportData) -> list[tuple[str, str]]:
    """(what, note) of the measures with a note, in the table's order (notes flow as text, unclipped)."""
    return [(m.what, m.note) for m in data.measures if m.note]


def change_table(data: ReportData) -> Table | None:
    """Before / after per sub-criterion with the earlier rounds' measures, or None in round 1."""
    if data.previous is None:
        return None
    before, now = data.previous.round, data.info.round
    checkins: dict[str, list[str]] = defaultdict(list)
    for m in data.measures:
        if m.round < now:
            checkins[m.subcriterion_id].append(f"{m.what} ({m.status})")
    headers = ["Unterkriterium", f"Runde{NBSP}{before}", f"Runde{NBSP}{now}", "Veränderung"]
    headers.append("Maßnahmen der vorigen Runde")
    rows = [
        [
            c.label,
            format_score(c.before) if c.before is not None else "–",
            format_score(c.after) if c.after is not None else "–",
            c.text,
            "; ".join(checkins.get(c.subcriterion_id, [])) or "–",
        ]
        for c in compare(data.previous.results, data.results)
    ]
    return headers, rows


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
        f"Erstellt mit mintqo am {_date(data.created)} aus der Selbstanalyse des Projekts "
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
