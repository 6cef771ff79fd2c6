"""Make sure every page runs inside app.py's navigation, even on a fresh server's first request."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_navigation() -> None:
    """Rerun through app.py when Streamlit ran a page script on its own.

    Until the first `st.navigation` call of a process, Streamlit treats the `pages/` folder as
    a legacy multipage app: a first request to e.g. /moderation runs pages/moderation.py
    directly and lists every file in the sidebar. Switching the legacy mode off and
    rerunning lets app.py route the same URL (streamlit/streamlit#9992).
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
