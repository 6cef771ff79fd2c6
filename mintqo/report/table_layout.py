"""Tables on the report's page: column widths that keep words whole, zebra rows, kept with their intro."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from fpdf import FontFace
from fpdf.enums import MethodReturnValue, TableBordersLayout, TableCellFillMode
from fpdf.util import Padding

from mintqo.report.page import BODY_PT, FONT, RULE, TABLE_PT, ZEBRA, ReportPage

HEAD_FILL = (234, 240, 248)
CELL_PAD = 1.6  # mm left and right inside table cells
MAX_WORD_SHARE = 0.3  # of the text width: longer words in a table cell are broken
MAX_CELL_CHARS = 600  # a table row cannot run across pages: longer cell texts are shortened with "…"
SMALL_TABLE = 90  # mm: a table up to this height never splits across pages (it moves to the next one)
MIN_ROWS = 30  # mm: a longer table starts on a new page unless its header and first rows fit
MIN_TAIL = 3  # rows: a table split across pages carries at least this many to the next page
HEIGHT = MethodReturnValue.HEIGHT
ROW_LINE, ROW_PAD = 4.2, 1.4  # mm: line height and top/bottom padding of a table row
PADDING = Padding.new((ROW_PAD, CELL_PAD))


def _words(text: str) -> list[str]:
    """The pieces a line may break between: plain spaces and newlines only, never a no-break space."""
    return [w for w in re.split(r"[ \n]+", text) if w] or [""]


def clip(text: str, limit: int = MAX_CELL_CHARS) -> str:
    """The text, shortened to `limit` characters with "…" if longer."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Table:
    """A table to draw: header texts, rows of cell texts and one alignment letter per column.

    `aligns` has one letter per column (L, C or R); `flex` columns absorb the spare width;
    `group` = (label, n) puts a spanning label over the last n columns.
    """

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    aligns: str
    flex: Sequence[int] = (1,)
    group: tuple[str, int] | None = None


@dataclass(frozen=True)
class _Layout:
    """A table's column widths, header height and row heights (mm)."""

    widths: list[float]
    head: float
    rows: list[float]

    @property
    def height(self) -> float:
        """The whole table on one page, with the space after it."""
        return self.head + sum(self.rows) + 2


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

    def data_table(self, table: Table, intro: Callable[[], object] | None = None) -> None:
        """A readable table: bold tinted header row repeated on each page, light rules, zebra rows.

        A table up to SMALL_TABLE mm high is never split: it moves to the next page whole if it
        does not fit here. A longer one breaks between rows so that no page holds fewer than
        MIN_TAIL of its rows. `intro` (a heading, a caption, a chart) is drawn first and never
        parted from the table: a short table moves to the next page together with its intro
        rather than split or leave the intro alone; a long one starts where its intro and its
        first rows fit and flows on.
        """
        layout = self._layout(table)
        if intro is not None:
            intro_height = self.measure(intro)
            room = self.page_break_trigger - self.t_margin
            if layout.height <= SMALL_TABLE and intro_height + layout.height <= room:
                self.keep(intro_height + layout.height)
            else:
                self.keep(intro_height + MIN_ROWS)
            intro()
            self.set_font(FONT, "", BODY_PT)
        self.keep(layout.height if layout.height <= SMALL_TABLE else MIN_ROWS)
        for n, (a, b) in enumerate(self._pieces(layout)):
            if n:
                self.add_page()
            self._table(table, layout.widths, a, b)
        self.set_font(FONT, "", BODY_PT)
        self.ln(2)

    def _layout(self, table: Table) -> _Layout:
        """Column widths and row heights, computed like fpdf2's table does (no dry run of the table)."""
        headers, rows, group = table.headers, table.rows, table.group
        widths = self.fit_widths(headers, rows, table.flex)

        def height(cells: Sequence[str], style: str, widths: Sequence[float] = widths) -> float:
            self.set_font(FONT, style, TABLE_PT)
            return max(
                float(
                    self.multi_cell(  # type: ignore[arg-type]  # typed as the union of all outputs
                        w, ROW_LINE, clip(c), padding=PADDING, dry_run=True, output=HEIGHT
                    )
                )
                for c, w in zip(cells, widths, strict=True)
            )

        head = height(headers, "B") + (height([group[0]], "B", [sum(widths[-group[1] :])]) if group else 0)
        layout = _Layout(widths, head, [height(r, "") for r in rows])
        self.set_font(FONT, "", BODY_PT)
        return layout

    def _pieces(self, table: _Layout) -> list[tuple[int, int]]:
        """Row ranges per page from the cursor on: breaks where the rows fit, but never before the
        last MIN_TAIL rows (a page with one lonely row) and never with none on a page."""
        n, pieces, start, y = len(table.rows), [], 0, self.get_y()
        while start < n:
            room, end = self.page_break_trigger - y - table.head - 1, start
            while end < n and room >= table.rows[end]:
                room -= table.rows[end]
                end += 1
            if 0 < n - end < MIN_TAIL:  # carry a few rows along rather than leave one alone
                end = n - MIN_TAIL
            end = max(end, start + 1)  # a row taller than the page still goes somewhere
            pieces.append((start, end))
            start, y = end, self.t_margin
        return pieces

    def _table(self, table: Table, widths: Sequence[float], first: int, end: int) -> None:
        """Rows `first` to `end` (exclusive) of a table on one page, under its header."""
        headers, group = table.headers, table.group
        self.set_font(FONT, "", TABLE_PT)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        plain, tinted = FontFace(fill_color=(255, 255, 255)), FontFace(fill_color=ZEBRA)
        with self.table(
            col_widths=tuple(widths),
            width=self.epw,
            text_align=tuple({"L": "LEFT", "C": "CENTER", "R": "RIGHT"}[a] for a in table.aligns),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            cell_fill_mode=TableCellFillMode.NONE,
            headings_style=FontFace(family=FONT, emphasis="B", size_pt=TABLE_PT, fill_color=HEAD_FILL),
            line_height=ROW_LINE,
            padding=PADDING,
            num_heading_rows=2 if group else 1,
            repeat_headings=1,
        ) as drawn:
            if group:
                label, span = group
                top = drawn.row()
                top.cell("", colspan=len(headers) - span)
                top.cell(label, colspan=span, align="C")
            head = drawn.row()
            for h in headers:
                head.cell(h)
            for i, values in enumerate(table.rows[first:end], first):
                row = drawn.row(style=tinted if i % 2 else plain)
                for value in values:
                    row.cell(clip(value))
