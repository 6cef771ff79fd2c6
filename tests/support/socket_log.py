"""What each browser tab of an e2e test asked the Streamlit server for, written out when it fails.

A click that "did nothing" leaves a screenshot that cannot say whether the browser sent the rerun
(with the button's trigger) or the server lost it. Only the frames the browser sends are kept (small
BackMsgs: reruns with their page, fragment and triggers); the server's frames are not listened to,
as passing every delta to Python would slow every test.
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, WebSocket
from streamlit.proto.BackMsg_pb2 import BackMsg

KEPT = 300  # frames per test


class SocketLog:
    """The last frames the pages of some browser contexts sent, with the time and the tab."""

    def __init__(self) -> None:
        self._start = time.monotonic()
        self._frames: deque[tuple[float, int, bytes | str]] = deque(maxlen=KEPT)
        self._tabs = 0

    def attach(self, context: BrowserContext) -> None:
        """Record every page this context opens from now on."""
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        self._tabs += 1
        tab = self._tabs
        page.on("websocket", lambda socket: self._socket(tab, socket))

    def _socket(self, tab: int, socket: WebSocket) -> None:
        socket.on("framesent", lambda payload: self._frames.append((time.monotonic(), tab, payload)))

    def write(self, path: Path) -> None:
        """The frames as text lines: seconds since the test began, tab number, what was asked."""
        lines = [f"{at - self._start:8.3f}s tab {tab}: {_describe(data)}" for at, tab, data in self._frames]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


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
