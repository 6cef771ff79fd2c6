"""The presentation on a projector: every slide fits common screens without scrolling, keys and
clickers move it, the facilitator picks the round, and "Sie sind hier" names the wall's round and n."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import Engine

from mintqo.db.engine import migrate, session_factory
from mintqo.domain.histograms import criterion_item
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import format_score
from mintqo.domain.workshop import slides
from mintqo.services import group_comparisons, groups
from mintqo.services.demo import DemoGroup, create_demo, create_demo_group

pytestmark = pytest.mark.e2e

FOLLOW_TIMEOUT_MS = 15_000  # the participant's "Sie sind hier" fragment polls every 4 s
SCREENS = [(1280, 720), (1366, 768), (1920, 1080), (1024, 768)]
TOLERANCE = 2  # px: sub-pixel rounding
# Everything a slide must show on screen: title, chart (when the slide has one), footer, navigation.
MEASURE_JS = """() => {
  const box = (sel) => { const el = document.querySelector(sel); if (!el) return null;
    const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left, right: r.right,
    height: r.height}; };
  const main = document.querySelector("[data-testid='stMain']");
  return {
    width: window.innerWidth, height: window.innerHeight, scrollY: window.scrollY,
    docHeight: document.documentElement.scrollHeight,
    mainHeight: main.scrollHeight, mainClient: main.clientHeight, mainTop: main.scrollTop,
    title: box(".slide-title"), counter: box(".slide-counter"), footer: box(".slide-footer"),
    chart: box(".st-key-slide-chart .js-plotly-plot .main-svg"),
    back: box(".st-key-present-back button"), next: box(".st-key-present-next button"),
    end: box(".st-key-present-end button"),
    pickers: [...document.querySelectorAll(".st-key-slide-nav [data-testid='stSelectbox']")].map(
      (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom, left: r.left,
        right: r.right, height: r.height}; }),
  };
}"""


@pytest.fixture
def demo_group(app_db: Engine, questionnaire: Questionnaire) -> DemoGroup:
    """The demo workshop group: 8 projects, round 1 and round 2 released."""
    migrate(app_db.url.render_as_string(hide_password=False))  # the app may not have opened it yet
    with session_factory(app_db)() as s:
        return create_demo_group(s, questionnaire, create_demo(s, questionnaire))


def _present(page: Page, base: str, code: str, wait: Callable[..., None]) -> None:
    page.goto(base)
    wait(page, page.get_by_role("heading", name="Selbstanalyse für MINT-Initiativen"))
    page.get_by_role("link", name="Moderation").click()
    page.get_by_role("textbox", name="Moderationscode").fill(code)
    page.get_by_role("button", name="Anmelden").click()
    wait(page, page.get_by_role("button", name="Präsentation starten"))
    page.get_by_role("button", name="Präsentation starten").click()
    _on_slide(page, 1, wait)


def _on_slide(page: Page, number: int, wait: Callable[..., None], total: int = 20) -> None:
    wait(page, page.locator(".slide-counter").filter(has_text=f"Folie {number} / {total}"))


def _problems(m: dict, needs_chart: bool) -> list[str]:
    """What a viewer would miss or have to scroll for."""
    out = []
    if m["docHeight"] > m["height"] + TOLERANCE:
        out.append(f"page scrolls: {m['docHeight']} > {m['height']}")
    if m["mainHeight"] > m["mainClient"] + TOLERANCE:
        out.append(f"app area scrolls: {m['mainHeight']} > {m['mainClient']}")
    if m["scrollY"] != 0 or m["mainTop"] != 0:
        out.append(f"not at the top: window {m['scrollY']}, app {m['mainTop']}")
    parts = {k: m[k] for k in ("title", "counter", "footer", "back", "next", "end")}
    parts |= {f"picker {i}": p for i, p in enumerate(m["pickers"])}
    if needs_chart:
        parts["chart"] = m["chart"]
    for name, b in parts.items():
        if b is None:
            out.append(f"{name} missing")
        elif b["top"] < -TOLERANCE or b["bottom"] > m["height"] + TOLERANCE:
            out.append(f"{name} outside vertically: {b['top']:.0f}–{b['bottom']:.0f} of {m['height']}")
        elif b["left"] < -TOLERANCE or b["right"] > m["width"] + TOLERANCE:
            out.append(f"{name} outside horizontally: {b['left']:.0f}–{b['right']:.0f} of {m['width']}")
    if len(m["pickers"]) != 2:
        out.append(f"{len(m['pickers'])} pickers instead of slide and round")
    chart = m["chart"]
    if needs_chart and chart is not None:
        if chart["height"] < 0.45 * m["height"]:
            out.append(f"chart too small: {chart['height']:.0f} px of {m['height']}")
        if m["title"] and chart["top"] < m["title"]["bottom"] - TOLERANCE:
            out.append("chart overlaps the title")
        if m["footer"] and chart["bottom"] > m["footer"]["top"] + TOLERANCE:
            out.append("chart overlaps the footer")
    if m["footer"] and m["next"] and m["footer"]["bottom"] > m["next"]["top"] + TOLERANCE:
        out.append("footer overlaps the buttons")
    return out


def _fits(page: Page, needs_chart: bool) -> list[str]:
    """What does not fit at the page's current size, once plotly has sized itself to it."""
    # plotly sizes itself to its container a frame after drawing or resizing: wait until it fits
    with contextlib.suppress(PlaywrightTimeoutError):  # the assertion below says what does not fit
        page.wait_for_function(
            f"() => {{ const m = ({MEASURE_JS})(); const c = m.chart;"
            f" return m.docHeight <= m.height + {TOLERANCE} && m.mainHeight <= m.mainClient + {TOLERANCE}"
            f" && (!{str(needs_chart).lower()} || (c && c.bottom <= m.footer.top + {TOLERANCE}"
            f" && c.right <= m.width + {TOLERANCE} && c.height >= 0.45 * m.height)); }}",
            timeout=10_000,
        )
    return _problems(page.evaluate(MEASURE_JS), needs_chart)


def test_every_slide_fits_every_screen_without_scrolling(
    app_server: str,
    demo_group: DemoGroup,
    questionnaire: Questionnaire,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    """Each slide is checked at every screen size, as a window moved to the projector or switched to
    full screen would be: the layout is CSS (vh, media queries) and plotly follows its container, so
    one run of a slide serves all sizes. Each slide is drawn at the size the one before ended at, so
    every size is also a size slides are first drawn at."""
    page = new_context().new_page()
    size = SCREENS[0]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    _present(page, app_server, demo_group.facilitator_code, wait_for_app)
    deck = slides(questionnaire)
    problems: list[str] = []
    for number, slide in enumerate(deck, start=1):
        _on_slide(page, number, wait_for_app)
        expect(page.locator(".slide-title")).to_have_text(slide.title)
        needs_chart = slide.kind != "agenda"
        if needs_chart:
            expect(page.locator(".st-key-slide-chart .js-plotly-plot .main-svg").first).to_be_visible()
        order = [size, *(s for s in SCREENS if s != size)]
        for size in order:  # the last size stays for the next slide
            page.set_viewport_size({"width": size[0], "height": size[1]})
            found = _fits(page, needs_chart)
            problems += [f"slide {number} ({slide.title}) at {size[0]}×{size[1]}: {p}" for p in found]
        if number < len(deck):
            page.get_by_role("button", name="Weiter →").click()
    assert not problems, "\n".join(problems)


def _keys_ready(page: Page) -> None:
    """Wait until the slide's key listener (registered by a small component after each run) is on."""
    page.wait_for_function("() => typeof window.__mintqoSlideKeys === 'function'")


def test_keys_and_clicker_move_the_slides_and_each_starts_at_the_top(
    app_server: str,
    demo_group: DemoGroup,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 720})
    _present(page, app_server, demo_group.facilitator_code, wait_for_app)
    expect(page.get_by_text("Vollbild: F11")).to_be_visible()
    for key, number in (("ArrowRight", 2), ("PageDown", 3), ("Space", 4), ("ArrowLeft", 3), ("PageUp", 2)):
        _keys_ready(page)
        page.keyboard.press(key)
        _on_slide(page, number, wait_for_app)
        at = page.evaluate(
            "() => [window.scrollY, document.querySelector(\"[data-testid='stMain']\").scrollTop]"
        )
        assert at == [0, 0], f"after {key}: scrolled to {at}"
        expect(page.locator(".slide-title")).to_be_in_viewport()

    # Arrow keys typed into a picker stay in the picker: the slide does not move.
    picker = page.get_by_role("combobox", name="Folie wählen")
    picker.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    picker.blur()
    _keys_ready(page)
    page.keyboard.press("ArrowRight")
    _on_slide(page, 3, wait_for_app)

    # A clicker's "blank screen" key (B or period) blacks the screen out and back.
    _keys_ready(page)
    page.keyboard.press("b")
    expect(page.locator("#mintqo-blank")).to_be_visible()
    page.keyboard.press("b")
    expect(page.locator("#mintqo-blank")).to_have_count(0)
    page.keyboard.press("Period")
    expect(page.locator("#mintqo-blank")).to_be_visible()
    page.keyboard.press("PageDown")  # any key brings the slide back first, without moving on
    expect(page.locator("#mintqo-blank")).to_have_count(0)
    page.keyboard.press("PageDown")
    _on_slide(page, 4, wait_for_app)


def _overview_median(engine: Engine, q: Questionnaire, group_id: int, round_no: int) -> str:
    """The first main criterion's group median of a round, as the overview slide prints it."""
    with session_factory(engine)() as s:
        group = groups.group_info(s, group_id)
        pic = group_comparisons.comparisons(s, q, group, None, round_no)[group_comparisons.GROUP].picture
    assert pic is not None
    axis = pic.axis(criterion_item(q.criteria[0].id))
    return format_score(axis.median)


def test_facilitator_picks_the_round_and_you_are_here_names_it(
    app_server: str,
    app_db: Engine,
    demo_group: DemoGroup,
    questionnaire: Questionnaire,
    new_context: Callable[[], BrowserContext],
    wait_for_app: Callable[..., None],
) -> None:
    round1 = _overview_median(app_db, questionnaire, demo_group.group_id, 1)
    round2 = _overview_median(app_db, questionnaire, demo_group.group_id, 2)
    mod = new_context().new_page()
    mod.set_viewport_size({"width": 1280, "height": 720})
    _present(mod, app_server, demo_group.facilitator_code, wait_for_app)
    footer = mod.locator(".slide-footer")
    first_number = mod.locator(".slide-number").first
    expect(footer).to_contain_text("Runde 2")  # the newest round by default
    expect(first_number).to_have_text(round2)
    picker = mod.get_by_role("combobox", name="Runde wählen")
    expect(picker).to_have_value("Runde 2 (neueste) · n = 8")

    # Project 1 did round 2 (like the wall); project 2 only round 1.
    pages = {}
    for label, code in zip(("round 2", "round 1"), demo_group.participant_codes, strict=True):
        page = new_context().new_page()
        page.goto(f"{app_server}/?code={code}")  # a submitted analysis opens on its results
        here = page.locator(".st-key-results-you-are-here")
        wait_for_app(page, page.get_by_role("heading", name="Ihre Ergebnisse"), here)
        pages[label] = here
    expect(pages["round 2"]).to_contain_text("Wie an der Wand: Runde 2 · n = 8 abgeschlossene Analysen")
    expect(pages["round 1"]).to_contain_text(
        "An der Wand: Runde 2 · n = 8 abgeschlossene Analysen. Ihre Analyse gehört zu Runde 1"
    )

    mod.get_by_role("button", name="Weiter →").click()
    _on_slide(mod, 2, wait_for_app)
    picker.click()
    mod.get_by_role("option", name="Runde 1 · n = 8").click()
    _on_slide(mod, 1, wait_for_app)  # another round starts from its first slide
    expect(picker).to_have_value("Runde 1 · n = 8")
    expect(footer).not_to_contain_text("Runde 2")
    expect(footer).to_contain_text("n = 8 abgeschlossene Analysen")
    expect(first_number).to_have_text(round1)
    expect(pages["round 1"]).to_contain_text(
        "Wie an der Wand: Runde 1 · n = 8 abgeschlossene Analysen", timeout=FOLLOW_TIMEOUT_MS
    )
    expect(pages["round 2"]).to_contain_text(
        "An der Wand: Runde 1 · n = 8 abgeschlossene Analysen. Ihre Analyse gehört zu Runde 2",
        timeout=FOLLOW_TIMEOUT_MS,
    )
