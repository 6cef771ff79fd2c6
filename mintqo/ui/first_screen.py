"""A chart page's first screen: chart code loaded early, the run ends below the chart, then the rest."""

from __future__ import annotations

import re

import plotly.graph_objects as go
import streamlit as st
from streamlit.navigation.page import StreamlitPage

from mintqo.ui import page_end, style

HOLD_LIMIT_MS = 3000  # a browser that has not drawn the chart by then gets the rest anyway
INPUT_GRACE_MS = 1000  # after the user's own click or key, time for the run it may start to begin
RUN_WAIT_MS = 10000  # after a request the user's input sent, the longest wait for its run to end
HOLD_TEXT = "Weitere Auswertungen werden geladen …"
BUTTON_LABEL = "Weitere Auswertungen laden"

# Below the chart while the rest of the page is held back: the hidden button is never seen,
# reached by keyboard or read out (display: none), and the script clicks it once, as soon as the
# chart's plotly SVG has a drawn trace (or the chart is hidden, as on phones where its table shows)
# and the frame is painted, or after HOLD_LIMIT_MS. A programmatic click moves neither focus nor scroll.
# Streamlit marks the page stale only once the server has begun a run. A click the user made just
# before cannot be cut off by the button's run (end_first_screen), but one that switches pages
# ("Präsentation starten") must reach the server first: the button's request names the page it was
# sent from, and Streamlit would show that page again. So the script waits INPUT_GRACE_MS after the
# user's last click or key; a run that click started makes the button stale (and brings the whole
# page or another one), a click that started none (an expander) only delays. And when the page sent
# the server a request after that input (Streamlit's websocket, counted here), the script waits until
# a run has been seen and has ended (at most RUN_WAIT_MS): a server too busy to begin the user's run
# within the grace time still gets it first. A click of the user's in the moment the script clicks
# gets a request of its own (click_order.py), not a run in the hold's fragment.
_HOLD = """<style>.__BUTTON__ { display: none !important; }
.mq-hold { color: __MUTED__; font-size: 0.875rem; margin: 0; }</style>
<p class="mq-hold" role="status">__TEXT__</p>
<script>
(() => {
  const start = performance.now();
  let done = false;
  let input = -Infinity, later = 0;  // the user's last click or key; the timer of the next look
  if (!window.__mqSent) {  // every request the page sends the server, counted (once per page)
    window.__mqSent = {n: 0};
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (...args) { window.__mqSent.n += 1; return send.apply(this, args); };
  }
  let sentAtInput = Infinity, ran = false;  // requests sent before that input; a run seen since
  const state = () => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
  const note = e => {
    if (e.target instanceof Element && e.target.closest('.__BUTTON__')) return;
    input = performance.now();
    sentAtInput = window.__mqSent.n;
    ran = false;
  };
  // The user's request is still to be run: sent since the input, and no run seen since has ended.
  const asked = () => window.__mqSent.n > sentAtInput && !(ran && state() === 'notRunning')
    && performance.now() - input < __RUN_WAIT__;
  const inputs = ['pointerdown', 'keydown', 'change', 'submit', 'click'];
  for (const type of inputs) document.addEventListener(type, note, true);
  const stop = () => {
    done = true;
    watch.disconnect();
    for (const type of inputs) document.removeEventListener(type, note, true);
  };
  const drawn = () => {
    const box = document.querySelector('.__CHART__ [class*="st-key-mq-chart-radar-"]');
    if (!box) return false;
    if (!box.getClientRects().length) return true;
    for (const path of box.querySelectorAll('.main-svg g.trace path')) {
      const d = path.getAttribute('d');
      if (d && d.length > 8 && d !== 'M0,0Z') return true;
    }
    return false;
  };
  const tick = () => {
    if (done) return;
    // A stale button: a run started by a click during the hold is on its way and brings the rest.
    const button = document.querySelector('.__BUTTON__:not([data-stale="true"]) button');
    if (!button || (!drawn() && performance.now() - start < __LIMIT__)) return;
    const wait = asked() ? input + __RUN_WAIT__ - performance.now() : input + __GRACE__ - performance.now();
    if (wait > 0) {
      clearTimeout(later);
      later = setTimeout(tick, wait + 1);
      return;
    }
    done = true;  // click after the next painted frame, if the button is still the live one
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const stale = !button.isConnected || button.closest('[data-stale="true"]');
      if (stale || asked() || performance.now() - input < __GRACE__) { done = false; tick(); return; }
      stop();
      button.click();
    }));
  };
  const watch = new MutationObserver(records => {
    for (const r of records) {
      if (r.attributeName === 'data-test-script-state' && window.__mqSent.n > sentAtInput
          && (r.oldValue === 'running' || r.target.getAttribute(r.attributeName) === 'running')) ran = true;
    }
    tick();
  });
  const changes = {childList: true, subtree: true, attributes: true, attributeOldValue: true,
    attributeFilter: ['d', 'data-stale', 'data-test-script-state']};
  watch.observe(document.body, changes);
  setTimeout(tick, __LIMIT__);
  setTimeout(stop, 60000);
  tick();
})();
</script>"""


CHART_CODE_KEY = "mq-chart-code"  # style.py hides it
_HELD = "mq.first_screen.held"  # the hidden button of the first screen the last whole-page run ended with
_SHOWN = "mq.first_screen.shown"  # the page the last whole-page run showed
_EMPTY_CHART = go.Figure(
    layout={"height": 10, "width": 10, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "meta": CHART_CODE_KEY}
)


def load_chart_code() -> None:
    """An empty chart, hidden, as the page's first element: the browser starts fetching and compiling
    Streamlit's chart code (about 4.7 MB, most of a second) while the server still reads the page's
    data, instead of only once the page's first real chart arrives.

    Sent on every run of a page that calls it, so the elements below keep their places between runs
    (an element that comes and goes above a fragment would move it, and the old one stays beside it).
    """
    with st.container(key=CHART_CODE_KEY):
        st.plotly_chart(_EMPTY_CHART, config={"staticPlot": True}, width="content")


def new_page_run(page: StreamlitPage) -> None:
    """At the start of every whole-page run (app.py, with the page it runs): no first screen is
    held until one ends it."""
    st.session_state.pop(_HELD, None)
    st.session_state[_SHOWN] = page


def css_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget or container `key`."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def hold_script(chart_key: str, button_key: str) -> str:
    """The hold line and the script that clicks the button `button_key` once the radar inside the
    container `chart_key` is drawn (or after HOLD_LIMIT_MS)."""
    return (
        _HOLD.replace("__BUTTON__", css_class(button_key))
        .replace("__CHART__", css_class(chart_key))
        .replace("__MUTED__", style.TEXT_MUTED)
        .replace("__TEXT__", HOLD_TEXT)
        .replace("__LIMIT__", str(HOLD_LIMIT_MS))
        .replace("__GRACE__", str(INPUT_GRACE_MS))
        .replace("__RUN_WAIT__", str(RUN_WAIT_MS))
    )


def is_first(seen_key: str) -> bool:
    """Whether this run draws the page's first screen (end_first_screen has not run for it yet)."""
    return seen_key not in st.session_state


def end_first_screen(seen_key: str, chart_key: str, button_key: str) -> None:
    """On the page's first run in a browser session (no `seen_key` in the session yet), end the run
    here, below the chart, and hold the rest until the browser has drawn it: plotly starts without
    the rest of the page competing for the browser. Later runs pass straight through.

    The hidden button sits in a fragment, so the browser's click on it asks for a fragment run, and
    Streamlit lets a fragment run wait for a whole-page run instead of cutting it off. The user's own
    click during the hold (joining a group, submitting) starts such a whole-page run; were the
    button's run a whole-page one, it would cut that run off at its next element and the click's
    effect would be lost or unshown. The fragment's run then asks for the whole page (st.rerun),
    but only while this page is still the one held. After a whole-page run in between (the user's
    click) a late run of the fragment asks for nothing; it only undoes Streamlit's page switch: a
    fragment request carries the page it was sent from, Streamlit keeps a fragment registered after
    runs that end early (st.stop, st.switch_page), and so a request sent just before the user's
    click switched pages (e.g. "Präsentation starten") would show the page the user just left.
    Without JavaScript (AppTest) the hidden button is clicked by hand.
    """
    if seen_key in st.session_state:
        return
    st.session_state[seen_key] = True
    st.session_state[_HELD] = button_key
    shown = st.session_state.get(_SHOWN)
    with st.container(key=f"{button_key}-hold"):
        _hold(chart_key, button_key, shown.url_path if shown else None)
    page_end.stop()


@st.fragment
def _hold(chart_key: str, button_key: str, held_page: str | None) -> None:
    """The hold line, its script and the hidden button; the button's run asks for the whole page."""
    if st.session_state.get(_HELD) != button_key:
        # A whole-page run came in between (the user's click): this hold is over. A late request
        # carries the page it was sent from, and Streamlit has switched the session to that page
        # for this run: if the run in between showed another page, go back to it.
        shown = st.session_state.get(_SHOWN)
        if shown is not None and shown.url_path != held_page:
            st.switch_page(shown)
        return
    if st.session_state.get(button_key) is True:  # before anything is drawn again: no second script
        st.rerun(scope="app")
    st.html(hold_script(chart_key, button_key), unsafe_allow_javascript=True)  # hides the button at once
    st.button(BUTTON_LABEL, key=button_key)
