"""PNG images of plotly figures through kaleido and one headless Chromium per process.

kaleido's own sync server waits forever when its browser fails to start, so this module keeps
its own: one event loop thread holding one open `kaleido.Kaleido`, every call bounded by a
timeout. The first image of a process starts Chromium (~1–2 s), later ones take a fraction of that.
Without a usable browser `png` returns None and the report says so instead of drawing.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
import time
from collections.abc import Coroutine
from typing import Any

import plotly.graph_objects as go

log = logging.getLogger(__name__)

START_TIMEOUT = 60.0  # seconds for Chromium to come up
RENDER_TIMEOUT = 30.0  # seconds for one image
RETRY_AFTER = 300.0  # seconds before a browser that failed to start is tried again


class _Renderer:
    """One open kaleido browser on its own event loop thread."""

    def __init__(self, browser_path: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="mintqo-kaleido", daemon=True)
        self._thread.start()
        self._kaleido: Any = None
        try:
            self._kaleido = self._run(self._open(browser_path), START_TIMEOUT)
        except BaseException:
            self.close()
            raise

    @staticmethod
    async def _open(browser_path: str) -> Any:
        import kaleido  # imported here: it is only needed once a report is built

        k = kaleido.Kaleido(path=browser_path, n=1, timeout=RENDER_TIMEOUT, mathjax=False)
        await k.open()
        return k

    def _run(self, coro: Coroutine[Any, Any, Any], timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout)
        except BaseException:
            future.cancel()
            raise

    def png(self, fig: go.Figure, width: int, height: int, scale: float) -> bytes:
        """The figure as PNG bytes."""
        opts = {"format": "png", "width": width, "height": height, "scale": scale}
        return bytes(self._run(self._kaleido.calc_fig(fig, opts=opts), RENDER_TIMEOUT))

    def close(self, timeout: float = 10.0) -> None:
        """Close the browser and stop the loop thread, waiting at most about `timeout` seconds."""
        if self._kaleido is not None:
            try:
                self._run(self._kaleido.close(), timeout)
            except Exception:
                log.debug("closing kaleido failed", exc_info=True)
            self._kaleido = None
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(min(5.0, timeout))


_lock = threading.Lock()
_renderers: dict[str, _Renderer] = {}
_failed: dict[str, float] = {}  # browser path → time of its last failed start


def browser_available(browser_path: str) -> bool:
    """Whether an executable file exists at the browser path."""
    return os.path.isfile(browser_path) and os.access(browser_path, os.X_OK)


def _renderer(browser_path: str) -> _Renderer | None:
    with _lock:
        if browser_path in _renderers:
            return _renderers[browser_path]
        if not browser_available(browser_path):
            return None
        if time.monotonic() - _failed.get(browser_path, -RETRY_AFTER) < RETRY_AFTER:
            return None
        # kaleido and choreographer look the browser up through BROWSER_PATH; say it once, here.
        os.environ["BROWSER_PATH"] = browser_path
        try:
            _renderers[browser_path] = _Renderer(browser_path)
        except Exception as exc:
            log.warning("chart images disabled: browser %s did not start: %s", browser_path, exc)
            _failed[browser_path] = time.monotonic()
            return None
        return _renderers[browser_path]


def png(fig: go.Figure, browser_path: str, *, width: int, height: int, scale: float = 2.0) -> bytes | None:
    """The figure as a PNG of `width` × `height` CSS pixels times `scale`, or None without a browser."""
    renderer = _renderer(browser_path)
    if renderer is None:
        return None
    try:
        return renderer.png(fig, width, height, scale)
    except Exception as exc:
        log.warning("chart image failed, the browser restarts next time: %s", exc)
        with _lock:
            if _renderers.get(browser_path) is renderer:
                del _renderers[browser_path]
        renderer.close()
        return None


@atexit.register
def _shutdown() -> None:
    """Close every browser this process started, when the process exits (no other caller).

    Bounded: a browser still starting (the warm-up thread holds the lock for up to START_TIMEOUT)
    must not keep a stopping server alive; the daemon threads end with the process, and Chromium,
    driven through a pipe, ends when that pipe closes.
    """
    if not _lock.acquire(timeout=2.0):
        log.warning("a chart browser is still starting at exit; not waiting for it")
        return
    try:
        renderers = list(_renderers.values())
        _renderers.clear()
    finally:
        _lock.release()
    for renderer in renderers:
        renderer.close(timeout=3.0)
