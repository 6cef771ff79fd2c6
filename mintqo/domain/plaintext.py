"""User text as plain text: Markdown and HTML escaping, control-character cleaning, safe spreadsheet cells."""

from __future__ import annotations

import html as _html
import re

# Every ASCII punctuation character may be backslash-escaped in CommonMark and then stands for itself;
# escaping all of them covers emphasis, links, images, headings, lists, tables, block quotes, raw HTML,
# autolinks, Streamlit's :colour[...] directives and $LaTeX$ in one rule.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit turns ":smile:" and ":material/icon:" into glyphs after escapes are resolved, so a colon that
# opens such a shortcode gets an invisible word joiner to keep the text as typed.
_SHORTCODE = re.compile(r":(?=[\w+/-]+:)")
_WORD_JOINER = "\u2060"
# Likewise Streamlit's GFM turns bare "http://…", "www.…" and "a@b.de" in text into links after parsing.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?<=@)(?=[\w-])")
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls except \t and \n, DEL, C1 controls, bidi embeddings/overrides/isolates, lone surrogates.
_UNWANTED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

Cell = str | int | float | None


def clean(text: str) -> str:
    """Control characters removed: line breaks of any kind become "\\n", tabs stay, the rest is dropped."""
    return _UNWANTED.sub("", _LINE_BREAKS.sub("\n", text))


def md(text: str) -> str:
    """Text for st.markdown (and every other Streamlit label that renders Markdown) showing exactly `text`."""
    unlinked = _AUTOLINK.sub(_WORD_JOINER, _SHORTCODE.sub(":" + _WORD_JOINER, clean(text)))
    escaped = _MD_SPECIAL.sub(r"\\\1", unlinked)
    lines = escaped.rstrip("\n").split("\n")  # trailing line breaks show nothing anyway
    # Leading blanks would start an indented code block and trailing ones would be trimmed; a trailing
    # backslash keeps each line break visible in the same paragraph (so "**{md(name)}**" still works).
    return "\\\n".join(_keep_blanks(line) for line in lines)


def _keep_blanks(line: str) -> str:
    """Leading and trailing blanks as character references: shown as typed, never indentation."""
    body = line.strip()
    if body == line:
        return line
    start = line[: len(line) - len(line.lstrip())]
    end = line[len(start) + len(body) :] if body else ""
    return _refs(start) + body + _refs(end)


def _refs(blanks: str) -> str:
    return "".join(f"&#{ord(c)};" for c in blanks)


def html(text: str) -> str:
    """Text for an HTML snippet (unsafe_allow_html, Plotly labels): every tag, entity and quote escaped."""
    return _html.escape(clean(text), quote=True)


def cell(value: Cell) -> Cell:
    """A spreadsheet value that can never start a formula (OWASP CSV injection): numbers stay numbers."""
    if isinstance(value, str):
        text = clean(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    return value


def formula_like(value: object) -> bool:
    """Whether a spreadsheet program would read this string as the start of a formula."""
    return isinstance(value, str) and value.startswith(_FORMULA_START)
