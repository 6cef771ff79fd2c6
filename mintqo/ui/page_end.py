"""How a page run ends: a sidebar held back for the page's chart is drawn before the run stops.

On pages whose first screen is a chart (results, dashboard, presentation) app.py draws the sidebar
after the page, not before it: the browser gets the chart first and loads the chart code while it
lays out the page links. Every way a run can end draws it: the page's end, a crash (the error box
comes with a working sidebar) and `stop()`, which pages call instead of `st.stop()` (after
`st.stop()` Streamlit sends nothing more). A rerun or page switch replaces the run: nothing to draw.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NoReturn

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

_HELD: ContextVar[Callable[[], None] | None] = ContextVar("mintqo_held_sidebar", default=None)


def sidebar_now() -> None:
    """Draw the sidebar this run holds back (once); nothing if it holds none."""
    draw = _HELD.get()
    if draw is not None:
        _HELD.set(None)
        draw()


def stop() -> NoReturn:
    """End the run here, like `st.stop()`, with the sidebar drawn."""
    sidebar_now()
    st.stop()
    raise AssertionError("st.stop() returned")  # pragma: no cover - st.stop raises


@contextmanager
def sidebar_last(draw: Callable[[], None], *, last: bool) -> Iterator[None]:
    """Run the page inside: with `last`, `draw` (the sidebar) comes after the page; else before it."""
    if not last:
        draw()
        yield
        return
    _HELD.set(draw)
    try:
        yield
    except (StopException, RerunException):
        _HELD.set(None)  # stopped (stop() drew it) or replaced by a new run: nothing more to send
        raise
    finally:
        sidebar_now()  # the page's end, or a crash: the error box below gets a working sidebar
