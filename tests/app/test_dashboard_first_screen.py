"""The dashboard's first screen: the group radar first; heatmap, downloads, agenda, part 3 once drawn."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from mintqo.domain.plaintext import md
from mintqo.domain.workshop import GroupSpec
from mintqo.services.demo import create_demo, create_demo_group
from mintqo.services.groups import create_group
from tests.support.app_pages import (
    DASHBOARD_REST,
    charts,
    dashboard_rest,
    facilitator_login,
    held,
    subheaders,
)

DEMO_GROUP = md("Demo-Workshop Musterregion")  # the title as Markdown source
TABS = ["Radar mit Median und mittleren 50 %", "Alle Aussagen als Heatmap"]
AGENDA = "Diskussionsagenda"
PART3 = "Teil 3: Was hat sich verändert?"


def _demo_dashboard(at: AppTest, db, questionnaire) -> AppTest:  # type: ignore[no-untyped-def]
    """The demo group (two released rounds): the facilitator's login lands on its dashboard."""
    with db() as s:
        demo_group = create_demo_group(s, questionnaire, create_demo(s, questionnaire))
    facilitator_login(at, demo_group.facilitator_code)
    assert at.title[0].value == DEMO_GROUP
    at.switch_page("pages/dashboard.py")  # later runs stay on the dashboard (app_pages.goto), no run here
    return at


def test_first_dashboard_screen_ends_below_the_group_radar_and_the_button_brings_the_rest(
    at, db, questionnaire
):
    _demo_dashboard(at, db, questionnaire)
    assert [t.label for t in at.tabs] == TABS  # both tabs already there: nothing above moves later
    assert len(charts(at)) == 1  # the group radar, no heatmap yet
    assert AGENDA not in subheaders(at) and PART3 not in subheaders(at)
    assert not at.get("download_button")
    assert held(at, DASHBOARD_REST)

    dashboard_rest(at)
    assert [t.label for t in at.tabs] == TABS
    assert len(charts(at)) == 2  # radar and heatmap
    assert AGENDA in subheaders(at) and PART3 in subheaders(at)
    assert at.get("download_button")
    at.run()  # later runs are whole runs, never held again in this browser session
    assert not held(at, DASHBOARD_REST) and AGENDA in subheaders(at)


def test_a_round_switch_during_the_hold_gives_the_whole_dashboard_of_that_round(at, db, questionnaire):
    _demo_dashboard(at, db, questionnaire)
    assert held(at, DASHBOARD_REST)
    at.segmented_control(key="dashboard.round").set_value(1).run()  # before the browser's own click
    assert not at.exception
    assert not held(at, DASHBOARD_REST)
    assert "Gruppenbild · Runde 1" in subheaders(at)
    assert AGENDA in subheaders(at)
    assert len(charts(at)) == 2  # radar and heatmap


def test_without_a_released_picture_nothing_is_held(at, db, questionnaire):
    with db() as s:
        created = create_group(s, questionnaire, GroupSpec("Werkstatt Süd", "Südregion", k=5))
    facilitator_login(at, created.facilitator_code)
    assert at.title[0].value == "Werkstatt Süd"
    assert not at.exception and not held(at, DASHBOARD_REST)
    assert not charts(at)
    assert [i.value for i in at.info if "Gruppenbild" in i.value or "erst" in i.value]
