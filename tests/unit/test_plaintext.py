"""User text stays plain text: Markdown and HTML escaping, control characters, spreadsheet formulas."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mintqo.domain.plaintext import cell, clean, formula_like, html, md

HOSTILE = (
    "# Überschrift ![x](http://example.org/x.png) <b>fett</b> :red[rot] $x$ | a | b | "
    ":smile: :material/home: ~~weg~~ _kursiv_ **fett** `code` [link](javascript:alert(1)) "
    "<script>alert(1)</script> &amp; \\ 1. > - + = www.example.org a@b.de"
)
LINE_STARTS = "# x\n> zitat\n- punkt\n1. eins\n    code\n===\n---\n| a | b |\n|---|---|\n```\n<div>\n"

# GFM as Streamlit renders it (tables, strikethrough, autolinks) on top of CommonMark.
PARSER = MarkdownIt("gfm-like", {"linkify": False})  # bare URLs are escaped; no linkify-it here
WORD_JOINER = "\u2060"


class _Text(HTMLParser):
    """The text a browser shows for rendered Markdown, and every tag in it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.tags = "", []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "br":
            self.text += "\n"

    def handle_data(self, data: str) -> None:
        self.text += data


def rendered(markdown: str) -> _Text:
    """Render like a Markdown page would: the visible text (line breaks from <br>) and the tags used."""
    out = _Text()
    out.feed(PARSER.render(markdown))
    # markdown-it puts a newline after each <br> and </p> in the HTML source; the browser shows none.
    out.text = re.sub(r"\n\n", "\n", out.text).removesuffix("\n")
    return out


PIECES = [*"#*_`[](){}<>!|~=:$+-.\\&;@/ \t\nabcxyz019ÄÖÜäß\x0b\r\u202e", "&#32;", "&amp;", "www.", "http://"]
text_with_markup = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@given(st.one_of(text_with_markup, st.text(max_size=40)))
@example(HOSTILE)
@example(LINE_STARTS)
@example("  führende und folgende Leerzeichen  \n\n\tTab")
def test_rendered_markdown_shows_exactly_the_text(text: str) -> None:
    """Whatever a user types, the rendered page shows those characters and no markup."""
    out = rendered(md(text))
    assert out.text.replace(WORD_JOINER, "") == clean(text).rstrip("\n")
    assert set(out.tags) <= {"p", "br"}


@given(st.one_of(text_with_markup, st.text(max_size=40)))
@example(HOSTILE)
def test_inside_bold_it_stays_text(text: str) -> None:
    """The usual "**{md(name)}** · …" keeps the name literal and bold, and leaves what follows alone."""
    out = rendered(f"**{md(text)}** · Runde 1")
    if clean(text).strip():
        assert out.text.replace(WORD_JOINER, "") == clean(text).rstrip("\n") + " · Runde 1"
    assert set(out.tags) <= {"p", "br", "strong"}


@given(st.one_of(text_with_markup, st.text(max_size=40)))
@example(":smile: :+1: a:b:c: :material/home: 10:30 http://x.org WWW.x.de mailto:a@b.de")
def test_no_streamlit_shortcode_or_directive_survives(text: str) -> None:
    """Streamlit turns ":smile:" into an emoji and ":red[x]" into colour, and $…$ into LaTeX: none remains."""
    shown = rendered(md(text)).text
    assert not re.search(r":[\w+/-]+:", shown)
    # GFM's literal autolinks (found in the text after parsing) find no URL, "www." or e-mail address.
    assert not re.search(r"https?://|www\.|[\w.+-]@[\w-]", shown, re.IGNORECASE)
    # Every $, : and [ reaches the renderer escaped, so no directive or formula can open.
    assert not re.search(r"(?<!\\)(?:\\\\)*[$:\[]", md(text).replace("&#", ""))


def test_hostile_name_renders_as_itself() -> None:
    """The name from the bug report: no heading, image, HTML, colour, formula or table."""
    out = rendered(md(HOSTILE))
    assert out.text.replace(WORD_JOINER, "") == HOSTILE
    assert out.tags == ["p"]


def test_html_escapes_tags_entities_and_quotes() -> None:
    assert html("<b>\"x\" & 'y'</b>") == "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;"
    assert html("<img src=x onerror=alert(1)>\x0b") == "&lt;img src=x onerror=alert(1)&gt;\n"


def test_clean_keeps_text_and_line_breaks_and_drops_control_characters() -> None:
    assert clean("Zeile 1\x0bZeile 2\r\nZeile 3\rZeile 4\x0cEnde\t!") == (
        "Zeile 1\nZeile 2\nZeile 3\nZeile 4\nEnde\t!"
    )
    assert clean("a\x00b\x07c\x1bd\x7fe\x85f\x9fg") == "abcde\nfg"
    assert clean("abc\u202edef\u2066g\u2069\u202a") == "abcdefg"
    assert clean("Ä ö ß – „Zitat“ 😀 \u00a0") == "Ä ö ß – „Zitat“ 😀 \u00a0"


@given(st.text())
def test_clean_leaves_nothing_a_spreadsheet_or_pdf_rejects(text: str) -> None:
    cleaned = clean(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", cleaned)
    assert clean(cleaned) == cleaned


def test_cell_neutralises_formula_starts_but_keeps_numbers() -> None:
    assert cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [cell(v) for v in ("+1", "-2", "@SUM(A1)", "\tx", "\rx")] == [
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tx",
        "'\nx",
    ]
    assert [cell(v) for v in (-1, 2.5, None, "", "Text", "1-2", "a=b")] == [
        -1,
        2.5,
        None,
        "",
        "Text",
        "1-2",
        "a=b",
    ]
    assert cell("Notiz\x0bmit Umbruch") == "Notiz\nmit Umbruch"
    assert formula_like("=1") and formula_like("-") and not formula_like(-1) and not formula_like("x=1")


@given(st.text())
def test_no_cell_starts_a_formula(text: str) -> None:
    value = cell(text)
    assert isinstance(value, str) and not formula_like(value)
