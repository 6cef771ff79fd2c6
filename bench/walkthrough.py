"""Walkthrough benchmarks, each measured side by side with its baseline in one run.

1. autosave: one answer as the walkthrough saves it (answers.replace_answer: fresh Session, the
   stored value read and the guarded upsert in one short transaction, commit) vs a raw sqlite3
   upsert of one row into a copy of the same table in its own transaction, same pragmas.
2. interaction: in headless Chromium, click an answer → re-rendered page, mintqo's walkthrough
   vs the same widgets on a bare Streamlit page (bench/bare_page.py).

Run: .venv/bin/python -m bench.walkthrough [--rounds N] [--clicks N] [--only autosave|interaction]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event

from mintqo.config import Settings
from mintqo.db.engine import SQLITE_PRAGMAS, make_engine, migrate, session_factory
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import Questionnaire
from mintqo.questionnaire_files import get_edition
from mintqo.services import analyses
from mintqo.services.answers import replace_answer
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def _new_analysis(url: str) -> tuple[Questionnaire, analyses.AnalysisInfo, str]:
    """Migrate a new SQLite database and start one analysis in it: questionnaire, analysis, access code."""
    migrate(url)
    engine = make_engine(url)
    q = get_edition(Settings().questionnaire_dir, Settings().default_edition)
    with session_factory(engine)() as s:
        started = analyses.start_analysis(s, q, Profile("Bench", "Bench"))
        info = analyses.analysis_info(s, started.analysis_id)
    engine.dispose()  # the last connection's close folds the WAL into the file: a copy is complete
    return q, info, started.code


def bench_autosave(rounds: int, per_round: int, synchronous: str | None = None) -> None:
    """Median microseconds per saved answer, service vs raw sqlite3, interleaved rounds.

    Both sides start from copies of one migrated database file (the same `answer` table with
    its primary key, constraints and foreign keys, the same analysis and rater) with the same
    pragmas; each answer is its own transaction with a fresh `updated_at` – with a constant one
    most upserts would store identical bytes, and SQLite then commits without writing or syncing
    anything. `synchronous` overrides the app's setting on both sides, to show the pure overhead.
    """
    pragmas = [p for p in SQLITE_PRAGMAS if "synchronous" not in p or synchronous is None]
    if synchronous:
        pragmas.append(f"PRAGMA synchronous={synchronous}")
    tmp = Path(tempfile.mkdtemp(prefix="mintqo-bench-"))
    url = f"sqlite:///{tmp / 'service.sqlite3'}"
    q, info, _ = _new_analysis(url)
    assert not (tmp / "service.sqlite3-wal").exists()
    shutil.copyfile(tmp / "service.sqlite3", tmp / "raw.sqlite3")
    engine = make_engine(url)
    if synchronous:
        event.listen(
            engine, "connect", lambda dbapi, _rec: dbapi.execute(f"PRAGMA synchronous={synchronous}")
        )
    factory = session_factory(engine)
    ids = [st.id for st in q.statements()]

    raw = sqlite3.connect(tmp / "raw.sqlite3", isolation_level=None)
    for pragma in pragmas:
        raw.execute(pragma)

    def service_answer(statement_id: str, value: str) -> None:
        with factory() as s:
            replace_answer(s, q, info.analysis_id, info.rater_id, statement_id, value)

    def raw_answer(statement_id: str, value: str) -> None:
        raw.execute("BEGIN")
        raw.execute(
            "INSERT INTO answer VALUES (?, ?, ?, ?, ?) ON CONFLICT (analysis_id, rater_id, statement_id)"
            " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (info.analysis_id, info.rater_id, statement_id, value, datetime.now(UTC).isoformat(" ")),
        )
        raw.execute("COMMIT")

    def timed(answer: Callable[[str, str], None], offset: int) -> float:
        t0 = time.perf_counter()
        for i in range(per_round):
            answer(ids[i % len(ids)], str((i + offset) % 4 + 1))
        return (time.perf_counter() - t0) / per_round

    timed(service_answer, 0), timed(raw_answer, 0)  # warm-up
    ours, base = [], []
    for r in range(1, rounds + 1):  # each side in a tight loop, rounds alternating
        ours.append(timed(service_answer, r))
        base.append(timed(raw_answer, r))
    o, b = statistics.median(ours) * 1e6, statistics.median(base) * 1e6
    print(f"autosave (one answer, own transaction, pragmas: {', '.join(p.split()[1] for p in pragmas)})")
    print(f"  mintqo replace_answer: {o:8.1f} µs per answer (median of {rounds} rounds × {per_round})")
    print(f"  raw sqlite3 upsert   : {b:8.1f} µs per answer")
    print(f"  ratio                : {o / b:8.2f}×   (goal ≤ 3×)")
    engine.dispose()
    raw.close()


# Before the app loads: note every websocket message the page receives and when the frame after
# it was painted. A quick rerun can start and finish within one React render, so the app's
# script-state attribute never changes; the end of a rerun is then the last message's frame.
_WATCH_SOCKET = """(() => {
  const Native = window.WebSocket;
  window.__messages = 0;
  window.__painted = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => {
        window.__messages += 1;
        requestAnimationFrame(() => requestAnimationFrame(() => { window.__painted = performance.now(); }));
      });
    }
  };
})();"""

_ARM = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  window.__t0 = null;
  window.__armed = window.__messages;
  window.__finished = 0;
  document.addEventListener('pointerdown', () => { window.__t0 = performance.now(); },
                            {capture: true, once: true});
  let seen = false;
  const obs = new MutationObserver(records => {
    const s = app.getAttribute('data-test-script-state');
    if (s === 'running' || records.some(r => r.oldValue === 'running')) seen = true;
    if (seen && s === 'notRunning') { obs.disconnect(); window.__finished = performance.now(); }
  });
  obs.observe(app, {attributes: true, attributeOldValue: true,
                    attributeFilter: ['data-test-script-state']});
  setTimeout(() => obs.disconnect(), 15000);
}"""

# Done: messages came after the click and a frame was painted after one of them, the script is not
# running, and the page has been quiet (no message, no frame to paint for one) for 300 ms – the
# server sends nothing after a run. (Without "painted after the click" a message that came between
# arming and the click could end the wait early, with a negative time.)
_SETTLED = """() => window.__t0 !== null && window.__messages > window.__armed
  && document.querySelector("[data-testid='stApp']").getAttribute('data-test-script-state') === 'notRunning'
  && window.__painted > window.__t0 && performance.now() - window.__painted > 300"""


def _click_ms(page: Page, radio_label: str, option: str) -> float:
    """Milliseconds from the click to the rerun's last painted frame (or its finished state, if later)."""
    page.evaluate(_ARM)
    group = page.get_by_role("radiogroup", name=radio_label)
    group.get_by_text(option, exact=True).click()
    try:
        page.wait_for_function(_SETTLED, timeout=15000)
    except Exception:  # no rerun seen within 15 s: left out
        return float("nan")
    return float(page.evaluate("() => Math.max(window.__painted, window.__finished) - window.__t0"))


def _ready(page: Page) -> None:
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60000)
    page.get_by_role("radiogroup").first.wait_for(timeout=60000)


def _new_page(browser: Browser) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(_WATCH_SOCKET)
    return page


def bench_interaction(clicks: int) -> None:
    """Median ms from click to finished rerun, mintqo vs bare page, alternating clicks.

    Every server runs Streamlit's gc.collect() after every run; mintqo moves the objects of its
    imported libraries out of the collector's way (mintqo/ui/gc_freeze.py). Two baselines: the
    bare page as is, and the bare page tuned the same way (gc.freeze) – the fairer of the two.
    """
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="mintqo-bench-ui-"))
    url = f"sqlite:///{tmp / 'ui.sqlite3'}"
    _, _, code = _new_analysis(url)
    env = {**os.environ, "MINTQO_DATABASE_URL": url}
    ours_proc, ours_url = start_streamlit("app.py", env, tmp / "ours.log")
    bare_proc, bare_url = start_streamlit("bench/bare_page.py", env, tmp / "bare.log")
    frozen_env = {**env, "MINTQO_BENCH_FREEZE": "1"}
    frozen_proc, frozen_url = start_streamlit("bench/bare_page.py", frozen_env, tmp / "frozen.log")
    options = ["eher nicht", "eher zu", "trifft voll zu", "trifft nicht zu"]
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
            ours = _new_page(browser)
            ours.goto(f"{ours_url}/?code={code}")
            ours.get_by_role("heading", name="A1 Bedarf und Ausgangslage").wait_for(timeout=60000)
            _ready(ours)
            bare = _new_page(browser)
            bare.goto(bare_url)
            _ready(bare)
            frozen = _new_page(browser)
            frozen.goto(frozen_url)
            _ready(frozen)
            ours_ms, bare_ms, frozen_ms = [], [], []
            missed = {"mintqo": 0, "bare": 0, "bare+freeze": 0}
            for i in range(clicks + 2):
                option = options[i % len(options)]
                o = _click_ms(ours, "A1.1 Wir können benennen", option)
                b = _click_ms(bare, "A1.1 Eine Aussage zum Bewerten", option)
                f = _click_ms(frozen, "A1.1 Eine Aussage zum Bewerten", option)
                if o != o or b != b or f != f:  # NaN: no finished rerun within 15 s; leave it out
                    for side, ms in zip(missed, (o, b, f), strict=True):
                        missed[side] += ms != ms
                    continue
                if i >= 2:  # first clicks warm caches
                    ours_ms.append(o)
                    bare_ms.append(b)
                    frozen_ms.append(f)
            browser.close()
    finally:
        stop(ours_proc)
        stop(bare_proc)
        stop(frozen_proc)
    o, b = statistics.median(ours_ms), statistics.median(bare_ms)
    f = statistics.median(frozen_ms)
    print("interaction (click an answer → rerun finished, headless Chromium)")
    print(f"  mintqo walkthrough   : {o:8.1f} ms (median of {len(ours_ms)} clicks)")
    print(f"  bare Streamlit page  : {b:8.1f} ms")
    print(f"  bare page, gc.freeze : {f:8.1f} ms")
    print(f"  ratio vs bare        : {o / b:8.2f}×   (goal ≤ 1.2×)")
    print(f"  ratio vs bare+freeze : {o / f:8.2f}×   (goal ≤ 1.2×; the fairer baseline)")
    if any(missed.values()):
        print(f"  (click triples left out, no rerun seen within 15 s: {missed})")


def main() -> None:
    """Parse arguments and run the selected benchmarks."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--per-round", type=int, default=300)
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--only", choices=["autosave", "interaction"])
    args = parser.parse_args()
    if args.only in (None, "autosave"):
        bench_autosave(args.rounds, args.per_round)
        bench_autosave(args.rounds, args.per_round, synchronous="NORMAL")
    if args.only in (None, "interaction"):
        bench_interaction(args.clicks)


if __name__ == "__main__":
    main()
