"""What each browser tab of an e2e test asked the Streamlit server for, written out when it fails.

A click that "did nothing" leaves a screenshot that cannot say whether the browser sent the rerun
(with the button's trigger) or the server lost it. Only the frames the browser sends are kept (small
BackMsgs: reruns with their page, fragment and triggers); the server's frames are not listened to,
as passing every delta to Python would slow every test. Beside them, each tab notes what its
pointer presses and clicks landed on, so a click that never reached its button shows where it went.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, WebSocket
from streamlit.proto.BackMsg_pb2 import BackMsg

KEPT = 300  # frames per test
# In every page of the context: where each press and click landed, with the wall-clock time.
_POINTER_LOG = """(() => {
  window.__mqPointer = [];
  const note = e => {
    const el = e.target instanceof Element ? e.target : null;
    const named = el?.closest('button, a, label, [data-testid]');
    const what = named ? named.tagName + (named.dataset?.testid ? '[' + named.dataset.testid + ']' : '') +
      ' "' + (named.innerText || '').trim().slice(0, 40).replace(/\\s+/g, ' ') + '"' : (el?.tagName ?? '-');
    const at = `${Math.round(e.clientX)},${Math.round(e.clientY)}`;
    if (window.__mqPointer.length < 200) window.__mqPointer.push(
      [Date.now() / 1000, `${e.type} ${e.isTrusted ? '' : '(script) '}at ${at} on ${what}`]);
  };
  for (const type of ['pointerdown', 'click']) window.addEventListener(type, note, true);
})()"""


class SocketLog:
    """The last frames the pages of some browser contexts sent, with the time and the tab."""

    def __init__(self) -> None:
        self._start = time.time()  # wall-clock time, as the tabs note their presses
        self._frames: deque[tuple[float, int, bytes | str]] = deque(maxlen=KEPT)
        self._tabs = 0
        self._pages: list[tuple[int, Page]] = []

    def attach(self, context: BrowserContext) -> None:
        """Record every page this context opens from now on."""
        context.add_init_script(_POINTER_LOG)
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        self._tabs += 1
        tab = self._tabs
        self._pages.append((tab, page))
        page.on("websocket", lambda socket: self._socket(tab, socket))

    def _socket(self, tab: int, socket: WebSocket) -> None:
        socket.on("framesent", lambda payload: self._frames.append((time.time(), tab, payload)))

    def write(self, path: Path) -> None:
        """The frames and the tabs' presses as text lines, in time order: seconds since the test
        began, tab number, what was asked or pressed."""
        lines = [(at - self._start, tab, _describe(data)) for at, tab, data in self._frames]
        for tab, page in self._pages:
            try:
                pressed = page.evaluate("() => window.__mqPointer || []")
            except Exception as exc:  # closed or crashed: the frames still help
                lines.append((0.0, tab, f"presses not readable ({type(exc).__name__})"))
                continue
            lines += [(at - self._start, tab, what) for at, what in pressed]
        lines.sort(key=lambda line: line[0])
        path.write_text("".join(f"{at:8.3f}s tab {tab}: {what}\n" for at, tab, what in lines), "utf-8")


def _describe(payload: bytes | str) -> str:
    if isinstance(payload, str):
        return f"text frame {payload[:80]!r}"
    message = BackMsg()
    try:
        message.ParseFromString(payload)
    except Exception as exc:  # not a BackMsg: say so, the rest of the log still helps
        return f"undecodable frame of {len(payload)} bytes ({exc})"
    kind = message.WhichOneof("type")
    if kind != "rerun_script":
        return str(kind)
    rerun = message.rerun_script
    triggers = [  # a keyed widget's id ends with its key
        w.id[-40:]
        for w in rerun.widget_states.widgets
        if w.WhichOneof("value") == "trigger_value" and w.trigger_value
    ]
    parts = [f"rerun page={rerun.page_script_hash[:8] or '-'}", f"query={rerun.query_string[:40]!r}"]
    if rerun.fragment_id:
        parts.append(f"fragment={rerun.fragment_id[:8]}")
    if rerun.is_auto_rerun:
        parts.append("auto")
    parts.append(f"triggers={triggers}")
    return " ".join(parts)
