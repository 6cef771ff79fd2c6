"""Keep Streamlit's garbage collection after every run off the long-lived objects of imported code."""

from __future__ import annotations

import gc
import sys

_modules_at_freeze = 0


def freeze_imported_objects() -> None:
    """Move the objects alive now into the permanent generation when new modules were imported.

    Streamlit calls gc.collect() after every script run (runner.postScriptGC). With pandas,
    plotly and SQLAlchemy loaded that walks a few hundred thousand module-level objects that
    never become garbage – the largest single cost of a click in the walkthrough (hundreds of
    ms on a busy machine). Frozen objects are skipped by the collector; objects created later
    (each run's garbage) are still collected, and reference counting frees as before. Runs the
    full collection only when the set of imported modules changed (first run, a lazy import).
    """
    global _modules_at_freeze
    if len(sys.modules) == _modules_at_freeze:
        return
    gc.collect()
    gc.freeze()
    _modules_at_freeze = len(sys.modules)
