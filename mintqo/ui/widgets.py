"""Small shared widgets: the open analysis's sidebar box and guard, band badges, open points, downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import streamlit as st

from mintqo.domain.exports import file_stem
from mintqo.domain.plaintext import md
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import Band, SubScore, format_score
from mintqo.services import exports
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.group_comparisons import Comparison
from mintqo.ui import login_check, logout, page_end
from mintqo.ui.resources import db_session, questionnaire, settings

T = TypeVar("T")

BAND_BADGE = {
    Band.DEVELOPMENT: "red",
    Band.EXPANDABLE: "orange",
    Band.SOLID: "green",
    Band.STRENGTH: "green",
}


def sidebar_analysis(info: AnalysisInfo) -> None:
    """Show which analysis is open, with a log-out button."""
    with st.sidebar:
        st.caption("Geöffnete Selbstanalyse")
        st.markdown(f"**{md(info.project)}**  \n{md(info.initiative)}")
        if info.members > 1:
            st.caption(f"Sie bewerten als {md(info.rater_name)} ({info.members} im Team)")
        status = "abgeschlossen" if info.submitted else "in Bearbeitung"
        st.caption(f"Runde {info.round} · {status}")
        logout_button("nav.logout", logout.close_analysis)


def logout_button(key: str, close: Callable[[], None]) -> None:
    """The sidebar's "Abmelden" button: `close` ends the login, then the page reruns."""
    if st.button("Abmelden", key=key, icon=":material/logout:"):
        close()
        st.rerun()


def require_analysis() -> AnalysisInfo:
    """The open analysis; otherwise a hint with a link to the start page, and stop."""
    return stop_unless(
        login_check.run_view()[0],
        "Bitte starten Sie zuerst eine Selbstanalyse oder öffnen Sie eine mit Ihrem Zugangscode.",
        "pages/start.py",
        "Zur Startseite",
        ":material/home:",
    )


def stop_unless(found: T | None, hint: str, page: str, label: str, icon: str) -> T:
    """`found` when it is there; otherwise the hint with a link to the page that opens it, and stop."""
    if found is None:
        st.info(hint)
        st.page_link(page, label=label, icon=icon)
        page_end.stop()
    return found


def band_badge(score: SubScore) -> str:
    """Markdown badge with the score and its band, e.g. ":green-badge[3,5 · Stärke]"."""
    if score.band is None:
        return ":gray-badge[keine Bewertung]"
    return f":{BAND_BADGE[score.band]}-badge[{format_score(score.mean)} · {score.band.value}]"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
ICONS = {XLSX: ":material/table:", PDF: ":material/picture_as_pdf:"}


@dataclass(frozen=True)
class Download:
    """One file offered for download; `make` builds it only when the button is clicked."""

    label: str
    make: Callable[[], bytes]
    file_name: str
    key: str

    @property
    def mime(self) -> str:
        """Content type from the file name."""
        if self.file_name.endswith(".pdf"):
            return PDF
        return XLSX if self.file_name.endswith(".xlsx") else "text/csv"


def download_row(files: list[Download]) -> None:
    """Download buttons side by side (wrapping, labels never cut); files are built on click."""
    row = st.container(horizontal=True, wrap=True, gap="small")
    for f in files:
        row.download_button(
            f.label,
            f.make,
            file_name=f.file_name,
            mime=f.mime,
            icon=ICONS.get(f.mime, ":material/download:"),
            key=f.key,
            on_click="ignore",
        )


def downloads(q: Questionnaire, info: AnalysisInfo, chosen: Comparison | None = None) -> None:
    """Download the PDF report (with the comparison shown on the page) and the own data (Excel, CSV)."""

    def data() -> exports.OwnData:
        with db_session() as db:
            return exports.own_data(db, q, info)

    def report_pdf() -> bytes:
        from mintqo import report  # fpdf2 and kaleido load on the first click, not on every rerun

        with db_session() as db:
            return report.build_pdf(
                db, q, info, chosen, load_edition=questionnaire, browser_path=settings().browser_path
            )

    stem = file_stem(info.project, info.round)
    st.subheader("Herunterladen")
    download_row(
        [
            Download("PDF: Bericht mit Grafiken", report_pdf, f"{stem}-bericht.pdf", "results.download.pdf"),
            Download(
                "Excel (.xlsx): Antworten und Maßnahmen",
                lambda: exports.workbook(data(), info),
                f"{stem}.xlsx",
                "results.download.xlsx",
            ),
            Download(
                "CSV: Antworten und Notizen",
                lambda: exports.answers_csv(data()),
                f"{stem}-antworten.csv",
                "results.download.answers",
            ),
            Download(
                "CSV: Maßnahmen",
                lambda: exports.measures_csv(data()),
                f"{stem}-massnahmen.csv",
                "results.download.measures",
            ),
        ]
    )
    st.caption(
        "Die Dateien enthalten nur die Daten Ihres Projekts, mit den Texten des Fragebogens; "
        "der Bericht zeigt dazu den oben gewählten Gruppenvergleich, soweit er freigegeben ist."
    )
