"""User text shown as plain text inside Streamlit Markdown (names, measures): no formatting, no HTML."""

from __future__ import annotations

import re

# Every ASCII punctuation mark CommonMark can give meaning to, plus ":" (Streamlit's :icons: and :colors[]).
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")


def md(text: str) -> str:
    """Escape user text for st.markdown and Markdown-rendered labels (backslash escapes)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")
