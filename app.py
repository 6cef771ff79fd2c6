"""mintqo entry point: page navigation and what every page shares."""

from typing import Literal

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from mintqo import warmup
from mintqo.services.analyses import AnalysisInfo
from mintqo.services.groups import GroupInfo
from mintqo.ui import (
    a11y,
    errors,
    first_screen,
    group_widgets,
    login,
    login_check,
    page_end,
    presenter,
    resources,
    state,
    widgets,
)
from mintqo.ui.gc_freeze import freeze_imported_objects

WIDE = ("ergebnisse", "gruppe", "praesentation", "massnahmen")
CHARTS_FIRST = ("ergebnisse", "gruppe", "praesentation")  # pages whose first screen is a chart


def navigation(
    info: AnalysisInfo | None, group: GroupInfo | None
) -> tuple[StreamlitPage, dict[str, list[StreamlitPage]]]:
    """All pages; walkthrough and moderation pages are listed only when something is open."""
    moderating: Literal["visible", "hidden"] = "visible" if group else "hidden"
    # Walkthrough pages stay routable (switch_page right after a login) but are listed only when an
    # analysis is open; they guard themselves with widgets.require_analysis().
    listed: Literal["visible", "hidden"] = "visible" if info else "hidden"
    pages = {
        "": [
            st.Page(
                "pages/start.py",
                title="Start",
                default=True,
            ),
            st.Page("pages/privacy.py", title="Anonymität", url_path="anonymitaet"),
        ],
        "Selbstanalyse": [
            st.Page(
                "pages/prepare.py",
                title="Vorbereitung",
                url_path="vorbereitung",
                visibility=listed,
            ),
            st.Page(
                "pages/assess.py",
                title="Durchführung",
                url_path="durchfuehrung",
                visibility=listed,
            ),
            st.Page(
                "pages/results.py",
                title="Ergebnisse",
                url_path="ergebnisse",
                visibility=listed,
            ),
            st.Page(
                "pages/team.py",
                title="Team-Abgleich",
                url_path="team",
                visibility=listed,
            ),
            st.Page(
                "pages/measures.py",
                title="Maßnahmen",
                url_path="massnahmen",
                visibility=listed,
            ),
            st.Page(
                "pages/delete.py",
                title="Daten löschen",
                url_path="loeschen",
                visibility=listed,
            ),
        ],
        "Moderation": [
            st.Page("pages/moderation.py", title="Moderation", url_path="moderation"),
            st.Page(
                "pages/dashboard.py",
                title="Gruppen-Dashboard",
                url_path="gruppe",
                visibility=moderating,
            ),
            st.Page(
                "pages/presentation.py",
                title="Präsentation",
                url_path="praesentation",
                visibility=moderating,
            ),
        ],
    }
    return st.navigation(pages, position="hidden"), pages


def main() -> None:
    """Restore the login, build the navigation and run the chosen page."""
    freeze_imported_objects()  # Streamlit's gc.collect() after each run: skip the libraries' objects
    try:
        resources.ensure_ready()  # maintenance page while the schema does not fit this code
        error = login.restore_from_url()
        info, group = login_check.load_run_view()
    except Exception:
        navigation(None, None)  # keep the address's page while the database is away
        raise
    if error:
        st.session_state[state.FLASH] = error
    page, pages = navigation(info, group)
    first_screen.new_page_run(page)  # a first screen held by an earlier run is held no more

    def sidebar() -> None:
        with st.sidebar:
            nav = st.container()  # the page links come first, above the boxes below
            if info is not None:
                widgets.sidebar_analysis(info)
            if group is not None:
                group_widgets.sidebar_group(group)
        a11y.sidebar_nav(nav, pages)

    presenter.sync_url(page.url_path)  # no facilitator token in the projected address bar
    # Results need room for the radar next to the lists; reading pages stay narrow.
    st.set_page_config(
        page_title=f"{page.title} · mintqo",  # a title per page (WCAG 2.4.2)
        page_icon=str(resources.FAVICON),  # a local file: a ":material/…" icon would be fetched from Google
        layout="wide" if page.url_path in WIDE else "centered",
    )
    if st.session_state.pop(state.GOTO_WALKTHROUGH, False):
        st.switch_page(login.landing_page())  # opened through a resume link
    a11y.setup(page.url_path)
    charts_first = page.url_path in CHARTS_FIRST
    if charts_first:
        first_screen.load_chart_code()  # the browser loads the chart code while the page reads its data
    if resources.settings().pdf_warmup:  # once per process, in the background: a quick first PDF
        warmup.start(resources.settings().browser_path)
    # On chart pages the sidebar comes after the page: the browser gets the chart first.
    with page_end.sidebar_last(sidebar, last=charts_first):
        page.run()


# Any unexpected error of app.py or a page becomes one German box; the traceback goes to the log.
errors.guarded(main)
