"""Tables on the report's page: column widths that keep words whole, zebra rows, kept with their intro."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from fpdf import FontFace
from fpdf.enums import TableBordersLayout, TableCellFillMode

from mintqo.report.page import BODY_PT, FONT, RULE, TABLE_PT, ZEBRA, ReportPage

HEAD_FILL = (234, 240, 248)
CELL_PAD = 1.6  # mm left and right inside table cells
MAX_WORD_SHARE = 0.3  # of the text width: longer words in a table cell are broken
MAX_CELL_CHARS = 600  # a table row cannot run across pages: longer cell texts are shortened with "…"
SMALL_TABLE = 90  # mm: a table up to this height never splits across pages (it moves to the next one)
MIN_ROWS = 30  # mm: a longer table starts on a new page unless its header and first rows fit


def _words(text: str) -> list[str]:
    """The pieces a line may break between: plain spaces and newlines only, never a no-break space."""
    return [w for w in re.split(r"[ \n]+", text) if w] or [""]


def clip(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """The text, shortened to `limit` characters with "…" if longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class ReportPDF(ReportPage):
    """The report's page set with readable tables (what the sections draw on)."""

    def fit_widths(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], flex: Sequence[int]
    ) -> list[float]:
        """Column widths (mm) that never break a word where avoidable; `flex` columns take the rest."""
        pad = 2 * CELL_PAD + 0.6
        self.set_font(FONT, "B", TABLE_PT)
        # Headers may wrap between words; cells should keep their longest line if there is room.
        need = [max(self.get_string_width(w) for w in _words(h)) + pad for h in headers]
        want = list(need)
        self.set_font(FONT, "", TABLE_PT)
        for row in rows:
            for j, text in enumerate(clip(cell) for cell in row):
                words = _words(text)
                # A very long word (a URL, a typo) may break rather than squeeze every other column.
                longest = min(max(self.get_string_width(w) for w in words), self.epw * MAX_WORD_SHARE)
                need[j] = max(need[j], longest + pad)
                lines = text.splitlines() or [""]
                want[j] = max(want[j], max(self.get_string_width(line) for line in lines) + pad)
        self.set_font(FONT, "", BODY_PT)
        widths = list(need)
        spare = self.epw - sum(widths)
        if spare <= 0:  # even the longest words do not fit: shrink all alike
            return [w * self.epw / sum(widths) for w in widths]
        fixed = [j for j in range(len(headers)) if j not in flex]
        wish = sum(want[j] - need[j] for j in fixed)
        for j in fixed:
            widths[j] += (want[j] - need[j]) * min(1.0, spare / wish) if wish > 0 else 0
        spare = self.epw - sum(widths)
        flex_want = sum(max(want[j] - widths[j], 1.0) for j in flex) or 1.0
        for j in flex:
            widths[j] += spare * max(want[j] - widths[j], 1.0) / flex_want
        return widths

    def data_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        aligns: str,
        flex: Sequence[int] = (1,),
        group: tuple[str, int] | None = None,
    ) -> None:
        """A readable table: bold tinted header row repeated on each page, light rules, zebra rows.

        `aligns` has one letter per column (L, C or R); `flex` columns absorb the spare width;
        `group` = (label, n) puts a spanning label over the last n columns. A table up to
        SMALL_TABLE mm high is never split: it moves to the next page whole if it does not fit here.
        """

        def draw() -> None:
            self._table(headers, rows, aligns, flex, group)

        height = self.measure(draw)
        self.keep(height if height <= SMALL_TABLE else MIN_ROWS)
        draw()

    def table_section(
        self,
        intro: Callable[[], object],
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        aligns: str,
        flex: Sequence[int] = (1,),
        group: tuple[str, int] | None = None,
    ) -> None:
        """`intro` (a heading, a caption, a chart) followed by a table, never parted: a short table
        moves to the next page together with its intro rather than split or leave the intro alone;
        a long one starts where its intro and its first rows fit and flows on."""

        def table() -> None:
            self.data_table(headers, rows, aligns, flex, group)

        def block() -> None:
            intro()
            table()

        if self.measure(table) <= SMALL_TABLE:
            self.together(block)
        else:
            self.keep(self.measure(intro) + MIN_ROWS)
            block()

    def _table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        aligns: str,
        flex: Sequence[int],
        group: tuple[str, int] | None,
    ) -> None:
        widths = self.fit_widths(headers, rows, flex)
        self.set_font(FONT, "", TABLE_PT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        plain, tinted = FontFace(fill_color=(255, 255, 255)), FontFace(fill_color=ZEBRA)
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            text_align=tuple({"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[a] for a in aligns),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_mode=TableCellFillMode.NONE,
            headings_style=FontFace(family=FONT, emphasis="B", size_pt=TABLE_PT, fill_color=HEAD_FILL),
            line_height=4.2,
            padding=(1.4, CELL_PAD),
            num_heading_rows=2 if group else 1,
            repeat_headings=1,
        ) as table:
            if group:
                label, span = group
                top = table.row()
                top.cell("", colspan=len(headers) - span)
                top.cell(label, colspan=span, align="C")
            head = table.row()
            for h in headers:
                head.cell(h)
            for i, values in enumerate(rows):
                row = table.row(style=tinted if i % 2 else plain)
                for value in values:
                    row.cell(clip(value))
        self.set_font(FONT, "", BODY_PT)
        self.ln(2)
