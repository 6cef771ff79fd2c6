"""First PDF report of a fresh server process with the background warm-up vs a warmed second one.

The demo data (`python -m mintqo demo`: a team project in round 2 of a released workshop group) go
into a temporary SQLite file. Then a fresh Python process does what a server process does: it loads
the modules the pages use, starts the warm-up as app.py does at the first page view, "reads" the
results page for `--read` seconds and clicks "PDF: Bericht mit Grafiken" – the first report is timed
from the click (including the lazy `from mintqo import report` of the download button), then a
second one. With `--cold` a second fresh process does the same without the warm-up, as before.

Run: .venv/bin/python -m bench.pdf [--read 5] [--cold] [--out demo.pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 3.0  # seconds for the first PDF of a process (issue #13, item 5)


def _demo(url: str) -> tuple[int, str]:
    """The demo data in the database at `url`: the team project's round-2 analysis id and its edition."""
    from mintqo.config import Settings
    from mintqo.db.engine import make_engine, migrate, session_factory
    from mintqo.questionnaire_files import get_edition
    from mintqo.services import analyses, rounds
    from mintqo.services.demo import create_demo, create_demo_group

    settings = Settings()
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        started = create_demo(session, q)
        create_demo_group(session, q, started)
        project_id = analyses.analysis_info(session, started.analysis_id).project_id
        latest = rounds.rounds_of(session, project_id)[-1].analysis_id
    engine.dispose()
    return latest, q.edition


def _child(url: str, analysis_id: int, read: float, warm: bool, out: str | None) -> None:
    """One server process: page modules, warm-up, reading time, then two reports (timed)."""
    t0 = time.perf_counter()
    from mintqo import warmup
    from mintqo.config import Settings
    from mintqo.db.engine import make_engine, session_factory
    from mintqo.figures import charts  # noqa: F401  # the results page has drawn its charts already
    from mintqo.questionnaire_files import get_edition
    from mintqo.services import analyses, group_comparisons, groups

    settings = Settings()
    thread = warmup.start(settings.browser_path) if warm else None  # as app.py at the first page view
    imported = time.perf_counter() - t0
    q = get_edition(settings.questionnaire_dir, settings.default_edition)
    factory = session_factory(make_engine(url))
    with factory() as session:  # the comparison the results page shows
        info = analyses.analysis_info(session, analysis_id)
        group = groups.group_of_analysis(session, analysis_id)
        chosen = group_comparisons.comparisons(session, q, group, info.region, info.round)[
            group_comparisons.GROUP
        ]
    time.sleep(read)  # the user reads the results page
    warming = thread is not None and thread.is_alive()  # the click came before the warm-up was done
    times, cpu = [], []
    for _ in range(2):
        start, start_cpu = time.perf_counter(), time.process_time()
        from mintqo import report  # as the download button: loaded on the first click

        with factory() as session:
            raw = report.build_pdf(
                session, q, info, chosen, load_edition=lambda _: q, browser_path=settings.browser_path
            )
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)  # this process only (Chromium draws elsewhere)
    if out:
        Path(out).write_bytes(raw)
    result = {
        "imported": imported,
        "first": times[0],
        "second": times[1],
        "cpu1": cpu[0],
        "cpu2": cpu[1],
        "warmup": warmup.took,
        "bytes": len(raw),
        "warming": warming,
    }
    print(json.dumps(result))


def _run(url: str, analysis_id: int, read: float, warm: bool, out: str | None) -> dict[str, float]:
    """One fresh process's times (see `_child`)."""
    cmd = [sys.executable, "-m", "bench.pdf", "--child", url, str(analysis_id), "--read", str(read)]
    cmd += ([] if warm else ["--no-warm"]) + (["--out", out] if out else [])
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _report(name: str, r: dict[str, float]) -> None:
    verdict = "met" if r["first"] <= GOAL else "MISSED"
    notes = [f"this process's CPU {r['cpu1']:.2f} s / {r['cpu2']:.2f} s", f"{r['bytes'] / 1024:.0f} KiB"]
    if r["warmup"]:
        notes.append(f"warm-up took {r['warmup']:.1f} s")
    if r["warming"]:
        notes.append("warm-up still running at the click")
    print(
        f"{name}: first PDF {r['first']:.2f} s, second {r['second']:.2f} s, "
        f"ratio {r['first'] / r['second']:.1f}×, goal ≤ {GOAL:.0f} s: {verdict} ({'; '.join(notes)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--read", type=float, default=5.0, help="seconds between page view and click")
    parser.add_argument("--cold", action="store_true", help="also measure a process without the warm-up")
    parser.add_argument("--out", help="write the demo report to this file")
    parser.add_argument("--child", nargs=2, metavar=("URL", "ANALYSIS"), help=argparse.SUPPRESS)
    parser.add_argument("--no-warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], int(args.child[1]), args.read, not args.no_warm, args.out)
        return
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='mintqo-bench-pdf-')) / 'demo.sqlite3'}"
    analysis_id, edition = _demo(url)
    load = os.getloadavg()[0]
    cores = os.cpu_count()
    print(
        f"demo report round 2 ({edition}), reading time {args.read:g} s, "
        f"load before {load:.2f} ({cores} cores)"
    )
    _report("with warm-up", _run(url, analysis_id, args.read, True, args.out))
    if args.cold:
        _report("without warm-up", _run(url, analysis_id, args.read, False, None))
    print(f"load after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
