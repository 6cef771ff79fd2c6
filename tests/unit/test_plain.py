"""User text stays plain inside Streamlit Markdown."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from mintqo.ui.plain import md


def _text(rendered_html: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", rendered_html)).strip()


def test_formatting_links_html_and_streamlit_directives_are_escaped():
    raw = "**Alex** _x_ [Link](http://example.org) <b>fett</b> :red[rot] :material/home: 1. $x$"
    out = md(raw)
    rendered = MarkdownIt("commonmark").render(out)
    assert "<strong>" not in rendered and "<em>" not in rendered and "<a " not in rendered
    assert "<b>" not in rendered and "<ol" not in rendered
    assert _text(rendered) == raw
    assert re.search(r"(?<!\\)[:\[]", out) is None  # Streamlit's :red[…] and :material/…: cannot fire


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40))
def test_any_name_renders_as_itself(name):
    name = " ".join(name.split())
    rendered = MarkdownIt("commonmark").render(md(name))
    assert _text(rendered) == name.strip()
