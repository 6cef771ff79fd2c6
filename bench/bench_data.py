"""Parts 1 and 2 of the benchmarks: the results page's data path at two sizes and against a GROUP BY."""

from __future__ import annotations

import inspect
import sqlite3
import statistics
import time
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bench.bench_db import prepare_db, questionnaire
from mintqo.db.engine import SQLITE_PRAGMAS, make_engine, session_factory
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import score_analysis
from mintqo.figures import charts
from mintqo.services import analyses, group_comparisons, groups
from mintqo.services.answers import answers_of, notes_of
from mintqo.services.group_comparisons import Comparison


def _radar_accepts_band() -> bool:
    params = inspect.signature(charts.radar_figure).parameters
    return "band" in params and "band_name" in params


def page_data(
    factory: sessionmaker[Session], q: Questionnaire, analysis_id: int, figure: bool
) -> dict[str, Comparison]:
    """The group-comparison reads of the results page for a participant in a released group
    (the path this benchmark has always timed; services.results_view adds the own-project rest)."""
    with factory() as s:
        info = analyses.analysis_info(s, analysis_id)
        answers = answers_of(s, info.analysis_id, info.rater_id)
        notes_of(s, info.analysis_id)
        member_of = groups.group_of_analysis(s, info.analysis_id)
        assert member_of is not None, "the benchmark's analysis is in a group"
        group = groups.group_info(s, member_of.id)  # the "Sie sind hier" fragment reads it again
        comps = group_comparisons.comparisons(s, q, group, info.region)
    results = score_analysis(q, answers)
    if figure:
        band = comps[group_comparisons.GROUP].picture
        charts.radar_figure(results, band, band_name=group_comparisons.SCOPE_NAMES[group_comparisons.GROUP])
    return comps


def _describe(comps: Mapping[str, Comparison]) -> str:
    parts = []
    for scope, c in comps.items():
        parts.append(f"{scope} n={c.picture.n_members:,}" if c.picture else f"{scope} hidden ({c.message})")
    return ", ".join(parts)


def _raw_group_by(path: Path) -> float:
    raw = sqlite3.connect(path)
    for pragma in SQLITE_PRAGMAS:
        raw.execute(pragma)
    t0 = time.perf_counter()
    rows = raw.execute(
        "SELECT a.statement_id, a.value, count(*) FROM answer a JOIN analysis n ON n.id = a.analysis_id"
        " WHERE n.status = 'submitted' GROUP BY 1, 2"
    ).fetchall()
    elapsed = time.perf_counter() - t0
    raw.close()
    assert rows
    return elapsed


def bench_data(
    small: int, large: int, repeat: int, raw_repeat: int, sample: int | None, rebuild: bool
) -> None:
    """Parts 1 and 2, interleaved rounds, medians."""
    q = questionnaire()
    paths = {n: prepare_db(n, q, sample, rebuild) for n in (small, large)}
    factories = {}
    engines = []
    for n, path in paths.items():
        engine = make_engine(f"sqlite:///{path}")
        engines.append(engine)
        factories[n] = session_factory(engine)
    participant = 1  # first analysis of group 1, released through releases.release
    for n in (small, large):
        comps = page_data(factories[n], q, participant, figure=False)
        print(f"  participant at {n:,}: {_describe(comps)}")
        if any(c.picture is None for c in comps.values()):
            print("  WARNING: not every comparison is drawn; the measured path is shorter than intended")
    variants = [False, True] if _radar_accepts_band() else [False]
    if not _radar_accepts_band():
        print("  (charts.radar_figure takes no band: measuring the data path without the figure)")
    times: dict[tuple[int, bool], list[float]] = {(n, f): [] for n in (small, large) for f in variants}
    for r in range(repeat + 3):
        order = (small, large) if r % 2 == 0 else (large, small)
        for figure in variants:
            for n in order:
                t0 = time.perf_counter()
                page_data(factories[n], q, participant, figure)
                if r >= 3:  # warm-up rounds
                    times[(n, figure)].append(time.perf_counter() - t0)
    med = {key: statistics.median(v) * 1e3 for key, v in times.items()}
    for figure in variants:
        what = "data + radar figure" if figure else "data only"
        s, big = med[(small, figure)], med[(large, figure)]
        print(f"results page data path ({what}), median of {repeat} interleaved rounds")
        print(f"  at {small:>9,} analyses : {s:8.2f} ms")
        print(f"  at {large:>9,} analyses : {big:8.2f} ms")
        print(f"  ratio                 : {big / s:8.2f}×   (goal ≤ 1.5×)")

    raw_times, ours = [], []
    for _ in range(raw_repeat):
        raw_times.append(_raw_group_by(paths[large]))
        t0 = time.perf_counter()
        page_data(factories[large], q, participant, False)
        ours.append(time.perf_counter() - t0)
    o, b = statistics.median(ours) * 1e3, statistics.median(raw_times) * 1e3
    print(f"results page data path vs live GROUP BY at {large:,} analyses (median of {raw_repeat})")
    print(f"  mintqo data path      : {o:8.2f} ms")
    print(f"  raw sqlite3 GROUP BY  : {b:8.2f} ms (all answers of submitted analyses)")
    print(f"  ratio                 : {o / b:8.4f}×   (goal ≤ 0.05×)")
    for engine in engines:
        engine.dispose()
