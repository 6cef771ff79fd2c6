"""Moving an AppTest run of app.py between pages, and opening an analysis the way a reload does."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from mintqo.services import logins
from mintqo.ui import state
from mintqo.ui.first_screen import CHART_CODE_KEY
from mintqo.ui.results_widgets import REST_KEY

LOGIN_BUTTON = "FormSubmitter:moderation.login-Anmelden"


def goto(at: AppTest, page: str) -> AppTest:
    """Switch AppTest to a page and run it.

    AppTest's page choice is sticky: after the app's own ``st.switch_page`` the next ``run()``
    goes back to the page last passed to ``AppTest.switch_page``. So tests follow every in-app
    page change with this, after checking that they landed on the new page.
    """
    return at.switch_page(page).run()


def open_analysis(
    at: AppTest,
    db: Callable[[], AbstractContextManager[Session]],
    analysis_id: int,
    page: str = "pages/results.py",
) -> AppTest:
    """Open an analysis the way a reload does: its session token in the URL (the results page whole,
    as the browser shows it once the radar is drawn: results_rest)."""
    with db() as s:
        token = logins.open_login_session(s, analysis_id, 1)
    at.query_params[state.URL_TOKEN] = token
    at.run()
    goto(at, page)
    assert not at.exception
    return results_rest(at)


def facilitator_login(at: AppTest, code: str) -> AppTest:
    """Run the app and log in with a facilitator code on the moderation page (no exception on the way)."""
    at.run()
    goto(at, "pages/moderation.py")
    assert not at.exception
    at.text_input(key="moderation.code").input(code)
    at.button(key=LOGIN_BUTTON).click().run()
    assert not at.exception
    return at


REST_BUTTON = REST_KEY  # the results page's hidden button (results_widgets.first_screen_then_rest)
DASHBOARD_REST = "dashboard.rest"  # the dashboard's hidden button, below the group radar


def first_screen_rest(at: AppTest, key: str) -> AppTest:
    """Show the rest of a page whose first screen ended with the hidden button `key`, as the browser
    does once the first screen's radar is drawn (mintqo.ui.first_screen).

    The first run of such a page in a browser session ends below the radar with a hidden button that
    a script clicks; AppTest runs no JavaScript, so a test expecting the full page clicks it here.
    Pages without the button (a later run, another page) are left as they are.
    """
    held = [b for b in at.button if b.key == key]
    if held:
        held[0].click().run()
        assert not at.exception
        assert not [b for b in at.button if b.key == key]
    return at


def results_rest(at: AppTest) -> AppTest:
    """The whole results page (first_screen_rest with the results page's hidden button)."""
    return first_screen_rest(at, REST_BUTTON)


def dashboard_rest(at: AppTest) -> AppTest:
    """The whole dashboard: heatmap, downloads, agenda and part 3 below the group radar."""
    return first_screen_rest(at, DASHBOARD_REST)


def charts(at: AppTest) -> list[Any]:
    """The page's plotly charts, not the empty one loading the chart code (first_screen.load_chart_code)."""
    return [
        c for c in at.get("plotly_chart") if json.loads(c.proto.spec)["layout"].get("meta") != CHART_CODE_KEY
    ]


def subheaders(at: AppTest) -> list[str]:
    """The page's subheaders, in order."""
    return [s.value for s in at.subheader]


def held(at: AppTest, key: str) -> bool:
    """Whether the page's first screen is waiting for its hidden button KEY (the rest not drawn yet)."""
    return any(b.key == key for b in at.button)
