"""PDF report of one self-analysis: `build_pdf` and the report's parts.

Data (data.py, content.py, table_rows.py), charts (figures.py, images.py), pages (page.py,
table_layout.py, pdf.py, pdf_followup.py).

Use `build_pdf`; it reads through a Session and never sees other projects' answers: the group band
comes only from the `Comparison` the results page chose, which passed the anonymity rules.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from mintqo.domain.questionnaire import Questionnaire
from mintqo.report.data import ReportData, collect
from mintqo.report.figures import chart_images
from mintqo.report.pdf import Charts, render
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.group_comparisons import Comparison

__all__ = ["Charts", "ReportData", "build_pdf", "collect", "render"]


def build_pdf(
    session: Session,
    q: Questionnaire,
    info: AnalysisInfo,
    comparison: Comparison | None,
    *,
    load_edition: Callable[[str], Questionnaire],
    browser_path: str,
    now: datetime | None = None,
) -> bytes:
    """The report of one analysis as PDF bytes, with chart images when a browser is available."""
    data = collect(session, q, info, comparison, load_edition=load_edition, now=now)
    return render(data, chart_images(data, browser_path))
