"""The report's A4 page: DejaVu Sans, header, footer "Seite x von y" and the text blocks sections use."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from unicodedata import category

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos
from fpdf.fonts import TTFFont
from PIL import Image

from mintqo.domain.plaintext import clean

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
BRAND = "mintqo"

INK = (34, 34, 34)
MUTED = (102, 102, 102)
ACCENT = (31, 95, 168)  # the own project's blue, as in the charts
RULE = (200, 210, 224)
ZEBRA = (247, 249, 252)

BODY_PT, SMALL_PT, TABLE_PT = 10, 8.5, 8.5
LINE = 5.0  # mm per body line
MAX_KEEP = 60  # mm: a text block up to this height stays on one page; longer ones flow on


def hex_rgb(color: str) -> tuple[int, int, int]:
    """(r, g, b) of a "#rrggbb" colour."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class _SharedDict(dict[int, int]):
    """A font's glyph table that every dry-run snapshot shares instead of copying (it never changes)."""

    def __deepcopy__(self, memo: dict[int, object]) -> _SharedDict:
        return self


class _SharedWidths(defaultdict[int, float]):
    """A font's character widths, shared like `_SharedDict` (a lookup may only add the default)."""

    def __deepcopy__(self, memo: dict[int, object]) -> _SharedWidths:
        return self


def _share_font_tables(pdf: FPDF) -> None:
    """Let `offset_rendering` snapshots share each font's static tables.

    fpdf2 deep-copies the whole document for every dry run (`measure`); with DejaVu's ~6,000 glyphs
    the two per-font tables were most of the report's build time (seconds per report, issue #13).
    """
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont) and isinstance(font.cw, defaultdict):
            font.glyph_ids = _SharedDict(font.glyph_ids)
            font.cw = _SharedWidths(font.cw.default_factory, font.cw)


class ReportPage(FPDF):
    """An A4 report page set: header from page 2 on, footer with the page count on every page."""

    def __init__(self, running_title: str, footer_note: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.running_title = running_title
        self.footer_note = footer_note
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        _share_font_tables(self)
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(True, margin=22)
        self.set_lang("de-DE")
        self.set_creator(BRAND)
        self.set_author(BRAND)
        self.set_font(FONT, "", BODY_PT)
        self.set_text_color(*INK)

    def normalize_text(self, text: str) -> str:
        """Tabs become spaces, other control characters go, glyphs DejaVu lacks (emoji) become "□"."""
        text = clean(text).replace("\t", " ")
        cmap = getattr(self.current_font, "cmap", None)
        if cmap:
            text = "".join(
                c if c == "\n" or (ord(c) in cmap and category(c)[0] != "C") else ("" if ord(c) < 32 else "□")
                for c in text
            )
        return super().normalize_text(text)

    # --- page furniture ---------------------------------------------------------------------------

    def header(self) -> None:
        """Brand and running title above a thin rule (not on the title page)."""
        if self.page_no() == 1:
            return
        self._furniture_text(10.5, f"{BRAND} · Qualitäts-Selbstanalyse", self.running_title)
        self.rule(15.5)
        self.set_y(self.t_margin)

    def footer(self) -> None:
        """Thin rule, the brand with the report date, and "Seite x von y"."""
        self.rule(self.h - 16)
        self._furniture_text(self.h - 14.5, self.footer_note, f"Seite {self.page_no()} von {{nb}}")

    def _furniture_text(self, y: float, left: str, right: str) -> None:
        self.set_xy(self.l_margin, y)
        self.set_font(FONT, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(self.epw / 2, 4, left)
        self.cell(self.epw / 2, 4, right, align="R")
        self.set_text_color(*INK)
        self.set_font(FONT, "", BODY_PT)

    def rule(self, y: float, color: tuple[int, int, int] = RULE) -> None:
        """A thin horizontal line across the text width at `y`."""
        self.set_draw_color(*color)
        self.set_line_width(0.25)
        self.line(self.l_margin, y, self.w - self.r_margin, y)

    # --- blocks -------------------------------------------------------------------------------------

    @property
    def at_top(self) -> bool:
        """Whether the cursor is at the top of a page's text area (a new page would not help)."""
        return self.get_y() <= self.t_margin + 1

    def keep(self, height: float) -> None:
        """Start a new page unless `height` mm still fit (keeps a heading with what follows)."""
        if self.will_page_break(height) and not self.at_top:
            self.add_page()

    def measure(self, draw: Callable[[], object]) -> float:
        """The height (mm) `draw` takes from the cursor when no page break cuts it: a dry run, undone."""
        with self.offset_rendering():
            self.set_auto_page_break(False)  # the rewind restores the page-break setting
            start = self.get_y()
            draw()
            height = self.get_y() - start
        return height

    def together(self, draw: Callable[[], object], *, limit: float | None = None) -> None:
        """Draw a block that must not split (a heading with a short table, say): if it does not fit
        below the cursor but fits on a page (and is at most `limit` mm), it starts on the next page."""
        height = self.measure(draw)
        room = self.page_break_trigger - self.t_margin
        if height <= min(room, limit or room):
            self.keep(height)
        draw()

    def text_height(
        self, text: str, *, w: float | None = None, h: float = LINE, size: float = BODY_PT, style: str = ""
    ) -> float:
        """The height (mm) of `text` wrapped in a `w` mm wide multi-cell with `h` mm lines."""
        self.set_font(FONT, style, size)
        height = self.multi_cell(
            w or self.epw, h, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT
        )
        self.set_font(FONT, "", BODY_PT)
        return float(height)  # type: ignore[arg-type]  # fpdf2 types it as the union over all output modes

    def keep_text(self, height: float) -> None:
        """Keep a text block of `height` mm on one page if it is short; a long one flows on."""
        self.keep(min(height, MAX_KEEP))

    def heading(self, text: str, *, keep_with: float = 30) -> None:
        """A section heading (accent colour) with a thin rule under it."""
        if self.get_y() > self.t_margin + 1:
            self.ln(4)
        self.keep(12 + keep_with)
        self.set_font(FONT, "B", 14)
        self.set_text_color(*ACCENT)
        self.multi_cell(self.epw, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.rule(self.get_y() + 0.8)
        self.ln(3.5)
        self.set_text_color(*INK)
        self.set_font(FONT, "", BODY_PT)

    def subheading(self, text: str, *, keep_with: float = 20) -> None:
        """A smaller bold heading inside a section."""
        self.ln(1.5)
        self.keep(7 + keep_with)
        self.set_font(FONT, "B", 11)
        self.multi_cell(self.epw, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_font(FONT, "", BODY_PT)

    def paragraph(self, text: str, *, size: float = BODY_PT, color: tuple[int, int, int] = INK) -> None:
        """Wrapped left-aligned text."""
        self.set_font(FONT, "", size)
        self.set_text_color(*color)
        self.multi_cell(self.epw, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(FONT, "", BODY_PT)

    def caption(self, text: str) -> None:
        """Small grey explanatory text."""
        self.ln(1)
        self.paragraph(text, size=SMALL_PT, color=MUTED)

    def caption_height(self, text: str) -> float:
        """The height (mm) `caption(text)` takes."""
        return 1 + self.text_height(text, h=SMALL_PT * 0.5, size=SMALL_PT)

    def bullets(self, items: Sequence[str]) -> None:
        """A simple bullet list."""
        for item in items:
            self.keep_text(self.text_height(item, w=self.epw - 5))
            self.set_x(self.l_margin)
            self.cell(5, LINE, "•")
            self.multi_cell(self.epw - 5, LINE, item, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(0.8)

    def chip(self, text: str, color: str | None, *, w: float = 13, h: float = 5.2) -> None:
        """A small filled label (e.g. a score in its band colour) at the cursor; moves right."""
        x, y = self.get_x(), self.get_y()
        self.set_fill_color(*(hex_rgb(color) if color else (170, 170, 170)))
        self.rect(x, y, w, h, style="F", round_corners=True, corner_radius=1.2)
        self.set_font(FONT, "B", 8.5)
        self.set_text_color(255, 255, 255)
        self.set_xy(x, y)
        self.cell(w, h, text, align="C")
        self.set_text_color(*INK)
        self.set_font(FONT, "", BODY_PT)
        self.set_xy(x + w + 2.5, y)

    def note_box(self, text: str) -> None:
        """A framed, tinted note (used where a chart could not be drawn)."""
        self.set_fill_color(*ZEBRA)
        self.set_draw_color(*RULE)
        self.set_font(FONT, "", BODY_PT)
        self.multi_cell(
            self.epw, LINE, text, border=1, fill=True, align="L", padding=3,
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip
        self.ln(2)

    def png(self, data: bytes, *, width: float | None = None) -> None:
        """An image, centred, `width` mm wide (default: the text width); starts a page if needed."""
        w = width or self.epw
        with Image.open(io.BytesIO(data)) as img:
            h = w * img.height / img.width
        self.keep(h + 2)
        self.image(io.BytesIO(data), x=self.l_margin + (self.epw - w) / 2, y=self.get_y(), w=w, h=h)
        self.set_y(self.get_y() + h + 2)

    def facts(self, rows: Sequence[tuple[str, str]], *, label_width: float = 42) -> None:
        """Label / value lines, as on a title page."""
        for label, value in rows:
            self.keep(LINE * 2)
            self.set_x(self.l_margin)
            self.set_font(FONT, "", 9)
            self.set_text_color(*MUTED)
            self.cell(label_width, LINE + 0.6, label)
            self.set_text_color(*INK)
            self.set_font(FONT, "", BODY_PT)
            self.multi_cell(
                self.epw - label_width, LINE + 0.6, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self.ln(0.6)
