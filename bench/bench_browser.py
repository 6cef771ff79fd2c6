"""Part 3 of the benchmarks: page loads in headless Chromium, each beside its baseline in one run."""

from __future__ import annotations

import os
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.bench_db import questionnaire
from mintqo.db.engine import make_engine, migrate, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.services import groups, logins
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

# Resolves with performance.now() (ms since navigation start) once the trace named `frag` in the
# plotly chart of the container with key `box` has an SVG path with a drawn outline.
_BAND_VISIBLE = """([box, frag]) => {
  const plot = document.querySelector('.st-key-' + box + ' .js-plotly-plot');
  if (!plot) return false;
  for (const g of plot.querySelectorAll('g.trace')) {
    const cd = g.__data__;
    const trace = Array.isArray(cd) && cd[0] && cd[0].trace;
    if (!trace || !String(trace.name || '').includes(frag)) continue;
    for (const p of g.querySelectorAll('path')) {
      const d = p.getAttribute('d');
      if (d && d.length > 8 && d !== 'M0,0Z') return performance.now();
    }
  }
  return false;
}"""


# Notes when a radar container first enters the DOM (the server has run the page up to it), to
# split the load into server/script time and the chart's own rendering.
_MARK_CONTAINER = """(() => {
  const obs = new MutationObserver(() => {
    if (document.querySelector('.st-key-results-radar, .st-key-dashboard-radar')) {
      window.__container = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, {subtree: true, childList: true});
})()"""

# What a load waits for: (container key, trace name fragment). The results page draws the group's
# median by default (the middle 50 % is a layer to switch on); the dashboard draws both.
RESULTS = ("results-radar", "Workshopgruppe: Median")
BARE = ("results-radar", "Radar")
DASHBOARD = ("dashboard-radar", "Gruppe: mittlere 50")


@dataclass(frozen=True)
class Demo:
    """The demo database: the demo project's access code and its workshop group."""

    url: str
    code: str
    group_id: int

    def token(self) -> str:
        """A browser-session token for the demo analysis, as a reload of the results page carries."""
        engine = make_engine(self.url)
        with session_factory(engine)() as s:
            analysis_id = logins.resume_with_code(s, self.code)
            assert analysis_id is not None, "the demo's access code opens no analysis"
            token = logins.open_login_session(s, analysis_id, 12)
        engine.dispose()
        return token

    def group_token(self) -> str:
        """A facilitator token for the demo group, as a reload of the dashboard carries."""
        engine = make_engine(self.url)
        with session_factory(engine)() as s:
            token = groups.open_group_session(s, self.group_id, 12)
        engine.dispose()
        return token


def _demo(url: str, q: Questionnaire) -> Demo:
    from mintqo.services import demo

    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        started = demo.create_demo(s, q)  # submitted; the resume link lands on its results
        made = demo.create_demo_group(s, q, started)  # 8 submitted analyses with it, two rounds released
    engine.dispose()
    return Demo(url, started.code, made.group_id)


@dataclass(frozen=True)
class Way:
    """One side-by-side measurement: our page against its baseline, both loaded the same way."""

    name: str
    ours: tuple[str, tuple[str, str]]  # (address, what to wait for)
    base: tuple[str, tuple[str, str]]
    base_name: str
    goal: float
    warm: bool


def _ways(ours_url: str, bare_url: str, code: str) -> list[Way]:
    results = f"{ours_url}/ergebnisse?sitzung={{token}}"
    dashboard = f"{ours_url}/gruppe?sitzung={{group_token}}"
    # The bare page with the results page's own radar figure (rings, own profile, group median).
    same = (f"{bare_url}/?figure=app", RESULTS)
    return [
        Way("results: resume link /?code=, cold cache", (f"{ours_url}/?code={code}", RESULTS),
            (bare_url, BARE), "bare Streamlit radar", 1.2, False),
        Way("results: reload /ergebnisse?sitzung=, cold cache", (results, RESULTS),
            (bare_url, BARE), "bare Streamlit radar", 1.2, False),
        Way("results: reload /ergebnisse?sitzung=, warm cache", (results, RESULTS),
            (bare_url, BARE), "bare Streamlit radar", 1.2, True),
        Way("results: resume link /?code=, cold cache, same figure", (f"{ours_url}/?code={code}", RESULTS),
            same, "bare, same figure", 1.2, False),
        Way("results: reload /ergebnisse?sitzung=, cold cache, same figure", (results, RESULTS),
            same, "bare, same figure", 1.2, False),
        Way("results: reload /ergebnisse?sitzung=, warm cache, same figure", (results, RESULTS),
            same, "bare, same figure", 1.2, True),
        Way("dashboard: reload /gruppe?sitzung=, cold cache", (dashboard, DASHBOARD),
            (results, RESULTS), "mintqo results page", 1.3, False),
        Way("dashboard: reload /gruppe?sitzung=, warm cache", (dashboard, DASHBOARD),
            (results, RESULTS), "mintqo results page", 1.3, True),
    ]  # fmt: skip


def bench_browser(loads: int) -> None:
    """Median ms from navigation to the group figure drawn, each page beside its baseline, alternating.

    Results page against a bare Streamlit page with one plotly radar (bench/bare_radar.py), three
    ways in: a resume link (`/?code=`, fresh browser, cold cache), a reload of the results page
    (`/ergebnisse?sitzung=`, fresh browser, cold cache) and the same reload with a warm browser
    cache (one browser context per side, as a participant who has the app open); the same three
    again against the bare page drawing the results page's own radar figure (`?figure=app`). Then the
    facilitator's dashboard (its group radar drawn) against the results page, reloaded both.
    """
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="mintqo-bench-results-"))
    demo = _demo(f"sqlite:///{tmp / 'ui.sqlite3'}", questionnaire())
    env = {**os.environ, "MINTQO_DATABASE_URL": demo.url}
    ours_proc, ours_url = start_streamlit("app.py", env, tmp / "ours.log")
    bare_proc, bare_url = start_streamlit("bench/bare_radar.py", env, tmp / "bare.log")

    def load(context: BrowserContext, target: str, wait: tuple[str, str]) -> tuple[float, float]:
        """(ms to the radar container, ms to the figure drawn), both from navigation start."""
        page = context.new_page()
        # A token read from the URL is exchanged for a new one (and ends a minute later): each
        # reload gets its own, made before the clock starts.
        target = target.replace("{token}", demo.token()) if "{token}" in target else target
        target = target.replace("{group_token}", demo.group_token()) if "{group_token}" in target else target
        try:
            page.goto(target, wait_until="commit")
            handle = page.wait_for_function(_BAND_VISIBLE, arg=list(wait), polling="raf", timeout=60000)
            return float(page.evaluate("() => window.__container")), float(handle.json_value())
        finally:
            page.close()

    results: dict[str, tuple[list[tuple[float, float]], list[tuple[float, float]]]] = {}
    ways = _ways(ours_url, bare_url, demo.code)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))

            def fresh() -> BrowserContext:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(_MARK_CONTAINER)
                return context

            for way in ways:
                ours_ms: list[tuple[float, float]] = []
                base_ms: list[tuple[float, float]] = []
                kept = (fresh(), fresh()) if way.warm else None
                for i in range(loads + 2):
                    ours_ctx, base_ctx = kept or (fresh(), fresh())
                    o = load(ours_ctx, *way.ours)
                    b = load(base_ctx, *way.base)
                    if not way.warm:
                        ours_ctx.close()
                        base_ctx.close()
                    if i >= 2:  # first loads warm the servers' script caches (and the browser's)
                        ours_ms.append(o)
                        base_ms.append(b)
                if kept:
                    for context in kept:
                        context.close()
                results[way.name] = (ours_ms, base_ms)
            browser.close()
    finally:
        stop(ours_proc)
        stop(bare_proc)
    print("page loads (navigation → group figure drawn in the radar, headless Chromium, 1280×900)")
    for way in ways:
        ours_ms, base_ms = results[way.name]
        drawn, base_drawn = statistics.median(t for _, t in ours_ms), statistics.median(t for _, t in base_ms)
        oc, bc = statistics.median(c for c, _ in ours_ms), statistics.median(c for c, _ in base_ms)
        ours_name = "mintqo dashboard" if way.ours[1] is DASHBOARD else "mintqo results page"
        print(f"  {way.name} (median of {len(ours_ms)} loads each)")
        print(f"    {ours_name:<20}: {drawn:8.1f} ms   (radar container after {oc:.0f} ms)")
        print(f"    {way.base_name:<20}: {base_drawn:8.1f} ms   (radar container after {bc:.0f} ms)")
        print(f"    ratio               : {drawn / base_drawn:8.2f}×   (goal ≤ {way.goal}×)")
