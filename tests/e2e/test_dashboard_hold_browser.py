"""The dashboard in Chromium: the group radar first; heatmap, agenda, part 3 once it is drawn."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, Route, WebSocketRoute, expect

from mintqo.ui.first_screen import HOLD_LIMIT_MS, INPUT_GRACE_MS
from tests.support.browser_tab import CHART
from tests.support.first_screen_js import defer_rest

pytestmark = pytest.mark.e2e

HOLD = "Weitere Auswertungen werden geladen …"
AGENDA = "Diskussionsagenda"  # below the group radar
TABS = ["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"]
DEFER_REST = defer_rest("dashboard-radar", "dashboard.rest")  # the page's own click waits for the test
# True once the group radar has a drawn trace (what the page's hold waits for).
RADAR_DRAWN = """() => [...document.querySelectorAll('.st-key-dashboard-radar .main-svg g.trace path')]
  .some(p => (p.getAttribute('d') || '').length > 8)"""
TABS_TOP = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return document.querySelector('[data-testid="stTabs"]').getBoundingClientRect().top + main.scrollTop;
}"""


def _sign_in(context: BrowserContext, base: str, code: str, wait_for_app: Callable[..., None]) -> Page:
    """A new tab of CONTEXT signs in as the facilitator; the dashboard is on its way."""
    page = context.new_page()
    page.goto(f"{base}/moderation")
    wait_for_app(page, page.get_by_role("heading", name="Moderation von Workshopgruppen"))
    page.get_by_role("textbox", name="Moderationscode").fill(code)
    page.get_by_role("button", name="Anmelden").click()
    return page


def test_the_dashboard_rest_comes_after_the_group_radar_without_moving_the_tabs(
    app_server: str, new_context: Callable[[], BrowserContext], demo_codes: dict[str, str], wait_for_app
) -> None:
    context = new_context()
    context.add_init_script(DEFER_REST)
    page = _sign_in(context, app_server, demo_codes["facilitator"], wait_for_app)
    page.wait_for_function("() => window.__restAsked > 0")

    drawn, after = page.evaluate("() => [window.__radarDrawnWhenAsked, window.__askedAfter]")
    assert drawn or after >= HOLD_LIMIT_MS - 50, f"the rest was asked for {after:.0f} ms in, before the radar"
    expect(page.get_by_text(HOLD)).to_be_visible()
    expect(page.get_by_role("heading", name=AGENDA)).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_text(TABS)
    expect(page.locator(".st-key-dashboard-rest button")).to_be_hidden()
    expect(page.locator(CHART)).to_have_count(1)  # the group radar only
    top = page.evaluate(TABS_TOP)

    page.evaluate("() => window.__releaseRest()")
    wait_for_app(page, page.get_by_role("heading", name=AGENDA))
    expect(page.get_by_text(HOLD)).to_have_count(0)
    expect(page.locator(".st-key-dashboard-rest")).to_have_count(0)
    expect(page.locator(CHART)).to_have_count(2)  # radar and heatmap
    assert page.evaluate(TABS_TOP) == top, "something above the tabs moved when the rest came"
    assert page.evaluate("() => window.__restAsked") == 1


class HeldReplies:
    """Streamlit's websocket through Playwright: the server's messages to the page can be held back
    (the page then cannot know that the server has begun or ended a run), and the page's requests
    sent meanwhile are counted."""

    def __init__(self) -> None:
        self.holding = False
        self.held: list[str | bytes] = []
        self.sent_while_holding = 0
        self.page_side: WebSocketRoute | None = None

    def route(self, page_side: WebSocketRoute) -> None:
        """The route handler: connect the page's websocket to the server through this object."""
        server = page_side.connect_to_server()
        self.page_side = page_side

        def from_page(message: str | bytes) -> None:
            self.sent_while_holding += self.holding
            server.send(message)

        def from_server(message: str | bytes) -> None:
            if self.holding:
                self.held.append(message)
            else:
                page_side.send(message)

        page_side.on_message(from_page)
        server.on_message(from_server)

    def release(self) -> None:
        self.holding = False
        assert self.page_side is not None, "the page never opened its websocket"
        for message in self.held:
            self.page_side.send(message)
        self.held.clear()


def test_a_page_switch_whose_run_the_page_has_not_seen_begin_comes_before_the_held_rest(
    app_server: str, new_context: Callable[[], BrowserContext], demo_codes: dict[str, str], wait_for_app
) -> None:
    # "Präsentation starten" during the held first screen, and the news that the server has begun
    # that run is late (a busy server or network). Had the page asked for its rest meanwhile, that
    # request would name the dashboard, and Streamlit would switch back to the dashboard's page for
    # it: the presentation would never show.
    context = new_context()
    replies = HeldReplies()
    context.route_web_socket("**/_stcore/stream", replies.route)
    held: list[Route] = []  # the chart code: no radar is drawn, so the first screen stays held
    context.route("**/static/js/PlotlyChart.*.js", lambda route: held.append(route))
    page = _sign_in(context, app_server, demo_codes["facilitator"], wait_for_app)
    wait_for_app(page, page.get_by_text(HOLD), page.get_by_role("button", name="Präsentation starten"))
    assert held, "the chart code was not asked for"

    replies.holding = True
    page.get_by_role("button", name="Präsentation starten").click()
    clicked = page.evaluate("() => performance.now()")
    for route in held:
        route.continue_()
    page.wait_for_function(RADAR_DRAWN)
    # Past the grace time and the hold's limit, with the radar drawn: the page would have asked.
    page.wait_for_function(
        f"() => performance.now() > Math.max({clicked + INPUT_GRACE_MS + 500}, {HOLD_LIMIT_MS + 500})"
    )
    # One request: the user's. The page did not ask for the rest of the page the user is leaving.
    assert replies.sent_while_holding == 1, f"{replies.sent_while_holding} requests sent while held"
    replies.release()

    slide = page.locator(".slide-counter").filter(has_text="Folie 1 /")
    wait_for_app(page, slide)
    expect(page.get_by_text(HOLD)).to_have_count(0)
    wait_for_app(page, slide)  # and it stays once every request has been answered


# The user's click comes in the moment between the page's click on its hidden button and Streamlit
# sending that click: Streamlit sends a click after a zero-delay timer, and the browser runs input it
# has queued (a busy page on a slow machine) before timers. Here the user's click comes right after.
CLICK_IN_THE_SAME_MOMENT = """(() => {
  const click = HTMLElement.prototype.click;
  window.__userClicked = 0;
  HTMLElement.prototype.click = function () {
    click.call(this);
    if (!this.closest('.st-key-dashboard-rest')) return;
    window.__userClicked += 1;
    document.querySelector('.st-key-dashboard-present button').click();
  };
})()"""


def test_a_click_in_the_moment_the_page_asks_for_the_held_rest_is_not_lost(
    app_server: str, new_context: Callable[[], BrowserContext], demo_codes: dict[str, str], wait_for_app
) -> None:
    # Sent together, Streamlit would run both clicks in the hold's fragment, where "Präsentation
    # starten" is not drawn: the click would do nothing, and the dashboard would simply stay.
    context = new_context()
    context.add_init_script(CLICK_IN_THE_SAME_MOMENT)
    page = _sign_in(context, app_server, demo_codes["facilitator"], wait_for_app)

    slide = page.locator(".slide-counter").filter(has_text="Folie 1 /")
    wait_for_app(page, slide)
    assert page.evaluate("() => window.__userClicked") == 1
    expect(page.get_by_text(HOLD)).to_have_count(0)
    wait_for_app(page, slide)  # and it stays once every request has been answered
