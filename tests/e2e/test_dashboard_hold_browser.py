"""The dashboard in Chromium: the group radar first; heatmap, agenda, part 3 once it is drawn."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from mintqo.ui.first_screen import HOLD_LIMIT_MS
from tests.support.browser_tab import CHART
from tests.support.first_screen_js import defer_rest

pytestmark = pytest.mark.e2e

HOLD = "Weitere Auswertungen werden geladen …"
AGENDA = "Diskussionsagenda"  # below the group radar
TABS = ["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"]
DEFER_REST = defer_rest("dashboard-radar", "dashboard.rest")  # the page's own click waits for the test
TABS_TOP = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return document.querySelector('[data-testid="stTabs"]').getBoundingClientRect().top + main.scrollTop;
}"""


def test_the_dashboard_rest_comes_after_the_group_radar_without_moving_the_tabs(
    app_server: str, new_context: Callable[[], BrowserContext], demo_codes: dict[str, str], wait_for_app
) -> None:
    context = new_context()
    context.add_init_script(DEFER_REST)
    page = context.new_page()
    page.goto(f"{app_server}/moderation")
    wait_for_app(page, page.get_by_role("heading", name="Moderation von Workshopgruppen"))
    page.get_by_role("textbox", name="Moderationscode").fill(demo_codes["facilitator"])
    page.get_by_role("button", name="Anmelden").click()
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
