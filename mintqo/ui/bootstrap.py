"""Make sure every page runs inside app.py's navigation, even when Streamlit starts a page alone."""

from __future__ import annotations

import runpy

from streamlit.runtime.pages_manager import PagesManager

from mintqo.config import PROJECT_ROOT
from mintqo.ui import page_end

APP = PROJECT_ROOT / "app.py"


def ensure_app_navigation() -> None:
    """Run app.py around this page when Streamlit ran the page script on its own.

    Until the first `st.navigation` call of a process, Streamlit treats the `pages/` folder as
    a legacy multipage app: a fresh server's first request to e.g. /moderation runs
    pages/moderation.py directly and lists every file in the sidebar (AppTest does the same
    on every run). Running app.py here routes the same URL through the real navigation, in
    the same run, so no widget value of this run is lost (streamlit/streamlit#9992).
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP), run_name="__main__")
        page_end.stop()
