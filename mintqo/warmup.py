"""Warms the PDF report once per process in a background thread, so the first download is quick."""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

_lock = threading.Lock()
_thread: threading.Thread | None = None
took: float | None = None  # seconds the warm-up needed, once it is done (for bench/pdf.py)


def start(browser_path: str) -> threading.Thread | None:
    """Start the warm-up thread unless it has started before; never raises, never waits.

    The thread loads fpdf2 and the report's fonts and starts Chromium with plotly.js (issue #13:
    the first report of a process took 15 s). Failures are only logged: the report then starts
    what it needs itself, as before.
    """
    global _thread
    with _lock:
        if _thread is not None:
            return _thread
        try:
            thread = threading.Thread(
                target=_warm, args=(browser_path,), name="mintqo-report-warmup", daemon=True
            )
            thread.start()
        except Exception:  # e.g. no more threads: the page must still come
            log.warning("could not start the report warm-up", exc_info=True)
            return None
        _thread = thread
        return thread


def _warm(browser_path: str) -> None:
    try:
        from mintqo.report import figures  # the heavy imports happen here, off the page's thread

        global took
        took = figures.warm_up(browser_path)
    except Exception:
        log.warning("warming the PDF report failed; the first report starts what it needs", exc_info=True)
