"""Group-benchmark benchmarks, each measured side by side with its baseline in one run.

1. results page data path at --large submitted analyses vs at --small (goal ≤ 1.5×): own
   answers, group, and the group / region / instance comparisons read from release and scope
   histograms, so the cost must not grow with the number of analyses.
2. the same data path at --large vs a raw sqlite3 GROUP BY over all answers of submitted
   analyses on the same database (goal ≤ 0.05×): what computing benchmarks live would cost.
3. (browser) navigation → results page with the group band drawn in the radar, in headless
   Chromium, vs a bare Streamlit page with one plotly radar (bench/bare_radar.py), goal ≤ 1.2×.

The two databases (groups of 10 analyses in up to 150 regions, 60 answers each) are bulk-written
with sqlite3 and cached under var/bench/, keyed by size, schema revision and DATA_VERSION.
Releases go through the real `releases.release` where that is fast enough (all groups of the
small database, a sample of the large one); the rest are computed with the real domain
functions (`contribution`, `release_plan.plan_release`) and folded in with the real `scopes.replace_part`.

Run: .venv/bin/python -m bench.benchmarks [--small 100] [--large 100000] [--repeat N]
     [--only data|browser] [--rebuild] [--service-releases N] [--loads N]
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from mintqo.config import PROJECT_ROOT, Settings
from mintqo.db.engine import SQLITE_PRAGMAS, alembic_config, make_engine, migrate, session_factory
from mintqo.domain import release_plan
from mintqo.domain.benchmark import answer_part, contribution
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.scoring import score_analysis
from mintqo.domain.workshop import region_key
from mintqo.figures import charts
from mintqo.questionnaires import get_edition
from mintqo.services import analyses, benchmarks, groups, logins, release_inputs, releases, scopes
from mintqo.services.answers import answers_of, notes_of
from tests.support.devserver import CHROMIUM, CHROMIUM_ARGS, start_streamlit, stop

DATA_VERSION = "2"  # bump when the generated data changes, so cached databases are rebuilt
CACHE_DIR = PROJECT_ROOT / "var" / "bench"
GROUP_SIZE = 10
MAX_REGIONS = 150
K = 3
SERVICE_ALL_UP_TO = 200  # groups; bigger databases release a sample through the service
TS = "2026-11-24 12:00:00.000000"  # SQLAlchemy's SQLite DateTime format


def _questionnaire() -> Questionnaire:
    return get_edition(Settings().questionnaire_dir, Settings().default_edition)


def _head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or "none"


# --------------------------------------------------------------------------------------------
# Synthetic data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How analyses are spread over groups and regions."""

    n: int

    @property
    def n_groups(self) -> int:
        return -(-self.n // GROUP_SIZE)

    @property
    def n_regions(self) -> int:
        # At least three groups per region, so that a region figure is more than one group's.
        return min(MAX_REGIONS, max(1, self.n_groups // 3))

    def members(self, g: int) -> range:
        """Analysis ids of group g (1-based); analysis, rater, project, initiative ids coincide."""
        return range((g - 1) * GROUP_SIZE + 1, min(g * GROUP_SIZE, self.n) + 1)

    def region(self, g: int) -> str:
        return f"Region {(g - 1) % self.n_regions + 1:03d}"


def _service_groups(layout: Layout, sample: int | None) -> list[int]:
    """Groups released through releases.release: all of a small database, else an even sample with 1."""
    count = layout.n_groups if layout.n_groups <= SERVICE_ALL_UP_TO else (sample or 10)
    count = max(1, min(count, layout.n_groups))
    step = layout.n_groups / count
    return sorted({1, *(int(i * step) + 1 for i in range(count))})[:count]


def _answers(rng: random.Random, q: Questionnaire) -> dict[str, str]:
    """A plausible analysis: an overall level, ups and downs per criterion and sub-criterion."""
    level = rng.gauss(2.7, 0.45)
    dont_know = rng.uniform(0.0, 0.10)
    out: dict[str, str] = {}
    for crit in q.criteria:
        c_off = rng.gauss(0.0, 0.35)
        for sub in crit.subcriteria:
            mu = level + c_off + rng.gauss(0.0, 0.25)
            for st in sub.statements:
                roll = rng.random()
                if roll < 0.005:
                    continue  # left open
                if roll < 0.005 + dont_know:
                    out[st.id] = "dk"
                elif roll < 0.025 + dont_know:
                    out[st.id] = "na"
                else:
                    out[st.id] = str(min(4, max(1, round(rng.gauss(mu, 0.7)))))
    return out


def _cache_path(n: int, q: Questionnaire, sample: int | None) -> Path:
    layout = Layout(n)
    service = len(_service_groups(layout, sample))
    return CACHE_DIR / f"results-{n}-s{service}-{q.edition}-r{_head_revision()}-v{DATA_VERSION}.sqlite3"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_db(path: Path, n: int, q: Questionnaire, sample: int | None) -> dict[str, float | int | str]:
    """Write the synthetic database to `path`; returns timings and counts for the setup report."""
    layout = Layout(n)
    service = set(_service_groups(layout, sample))
    building = path.with_name(path.name + ".building")
    _remove(building)
    url = f"sqlite:///{building}"
    t0 = time.perf_counter()
    migrate(url)

    # Phase A: raw bulk insert of everything but the scope figures, in one transaction.
    raw = sqlite3.connect(building)
    raw.execute("PRAGMA journal_mode=DELETE")
    raw.execute("PRAGMA synchronous=OFF")
    raw.execute("PRAGMA cache_size=-200000")
    rng = random.Random(2026)
    raw.executemany(
        "INSERT INTO workshop_group (id, name, region, region_key, edition, k, facilitator_code_hash,"
        " join_code_hash, presenting, slide, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)",
        (
            (
                g,
                f"Workshop {g}",
                layout.region(g),
                region_key(layout.region(g)),
                q.edition,
                K,
                hashlib.sha256(f"facilitator {g}".encode()).hexdigest(),
                hashlib.sha256(f"join {g}".encode()).hexdigest(),
                TS,
            )
            for g in range(1, layout.n_groups + 1)
        ),
    )
    n_answers = 0
    domain_releases: list[tuple[int, int]] = []  # (release id, group id)
    t_domain = 0.0
    for g in range(1, layout.n_groups + 1):
        ids = layout.members(g)
        region = layout.region(g)
        raw.executemany(
            "INSERT INTO initiative (id, name, region, created_at) VALUES (?, ?, ?, ?)",
            ((a, f"Initiative {a}", region, TS) for a in ids),
        )
        raw.executemany(
            "INSERT INTO project (id, initiative_id, name, mint_field, created_at) VALUES (?, ?, ?, ?, ?)",
            ((a, a, f"Projekt {a}", "Technik", TS) for a in ids),
        )
        raw.executemany(
            "INSERT INTO analysis (id, project_id, edition, round, status, created_at, updated_at,"
            " submitted_at, group_id, joined_at) VALUES (?, ?, ?, 1, 'submitted', ?, ?, ?, ?, ?)",
            ((a, a, q.edition, TS, TS, TS, g, TS) for a in ids),
        )
        raw.executemany(
            "INSERT INTO rater (id, analysis_id, display_name, created_at) VALUES (?, ?, 'Team', ?)",
            ((a, a, TS) for a in ids),
        )
        answers = {a: _answers(rng, q) for a in ids}
        rows = [(a, a, sid, v, TS) for a in ids for sid, v in answers[a].items()]
        raw.executemany(
            "INSERT INTO answer (analysis_id, rater_id, statement_id, value, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        n_answers += len(rows)
        if g in service:
            continue
        td = time.perf_counter()
        contribs = {a: contribution(q, answers[a]) for a in ids}
        plan = release_plan.plan_release(contribs, [], K)  # the real gate, as releases.release
        hists = plan.hists
        rel_id = raw.execute(
            "INSERT INTO group_release (group_id, seq, n_members, created_at, withheld)"
            " VALUES (?, 1, ?, ?, ?)",
            (g, len(contribs), TS, json.dumps(dict(plan.withheld), sort_keys=True)),
        ).lastrowid
        raw.executemany(
            "INSERT INTO release_member (release_id, analysis_id, project_id, version, answers_version,"
            " items) VALUES (?, ?, ?, ?, ?, ?)",
            (
                (
                    rel_id,
                    a,
                    a,
                    release_inputs.fingerprint(c),
                    release_inputs.fingerprint(answer_part(c)),
                    json.dumps(c),
                )
                for a, c in contribs.items()
            ),
        )
        raw.executemany(
            "INSERT INTO release_histogram (release_id, item, bin, count) VALUES (?, ?, ?, ?)",
            ((rel_id, item, b, c) for item, hist in hists.items() for b, c in hist.items()),
        )
        domain_releases.append((rel_id, g))
        t_domain += time.perf_counter() - td
    raw.commit()
    raw.execute("PRAGMA journal_mode=WAL")
    raw.close()
    t_bulk = time.perf_counter() - t0 - t_domain

    # Phase B: fold the domain-computed releases into region and instance with scopes.replace_part.
    engine = make_engine(url)
    factory = session_factory(engine)
    t1 = time.perf_counter()
    with factory() as s:
        for i, (rel_id, g) in enumerate(domain_releases, start=1):
            hists = releases.release_histograms(s, rel_id)
            members = len(layout.members(g))
            for scope in (
                scopes.region_scope(region_key(layout.region(g)), q.edition),
                scopes.instance_scope(q.edition),
            ):
                scopes.replace_part(s, scope, {}, hists, old_members=0, new_members=members, new_group=True)
            if i % 500 == 0:
                s.commit()
        s.commit()
    t_domain += time.perf_counter() - t1

    # Phase C: the real service for the rest, each release timed.
    release_s: list[float] = []
    with factory() as s:
        for g in sorted(service):
            tr = time.perf_counter()
            releases.release(s, g, q)
            release_s.append(time.perf_counter() - tr)
    engine.dispose()
    _remove(path)
    building.rename(path)
    return {
        "n": n,
        "groups": layout.n_groups,
        "regions": layout.n_regions,
        "answers": n_answers,
        "bulk_s": t_bulk,
        "domain_s": t_domain,
        "domain_groups": len(domain_releases),
        "service_groups": len(release_s),
        "service_s": sum(release_s),
        "release_median_ms": statistics.median(release_s) * 1e3,
        "total_s": time.perf_counter() - t0,
    }


def _report(rel: Path, r: dict[str, float | int | str], cached: bool) -> None:
    how = "reusing" if cached else "built"
    print(
        f"setup: {how} {rel} ({r['n']:,} submitted analyses in {r['groups']:,} groups of {GROUP_SIZE},"
        f" {r['regions']} regions, {r['answers']:,} answers), built in {r['total_s']:.1f} s"
        + (" (--rebuild to regenerate)" if cached else "")
    )
    print(f"  bulk insert (raw sqlite3 executemany)         : {r['bulk_s']:7.1f} s")
    print(
        f"  {r['service_groups']:,} groups released through releases.release: {r['service_s']:.1f} s"
        f" (median {r['release_median_ms']:.0f} ms per release at {r['n']:,} analyses)"
    )
    if r["domain_groups"]:
        projected = float(r["release_median_ms"]) * int(r["domain_groups"]) / 1e3 / 60
        print(
            f"  {r['domain_groups']:,} other groups released with the domain functions (contribution,"
            f" plan_release) + raw inserts + scopes.replace_part: {r['domain_s']:.1f} s"
            f" (through releases.release they would take ~{projected:.1f} min)"
        )


def prepare_db(n: int, q: Questionnaire, sample: int | None, rebuild: bool) -> Path:
    """The cached database for n analyses, built (and reported) when missing or asked to."""
    path = _cache_path(n, q, sample)
    meta = path.with_suffix(".json")
    rel = path.relative_to(PROJECT_ROOT)
    if path.exists() and meta.exists() and not rebuild:
        _report(rel, json.loads(meta.read_text()), cached=True)
        return path
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"setup: building {rel} …", flush=True)
    r = build_db(path, n, q, sample)
    meta.write_text(json.dumps(r))
    _report(rel, r, cached=False)
    return path


# --------------------------------------------------------------------------------------------
# Part 1 and 2: the results page's data path
# --------------------------------------------------------------------------------------------


def _radar_accepts_band() -> bool:
    params = inspect.signature(charts.radar_figure).parameters
    return "band" in params and "band_name" in params


def page_data(factory, q: Questionnaire, analysis_id: int, figure: bool) -> dict:  # type: ignore[no-untyped-def]
    """What pages/results.py reads and computes for a participant in a released group."""
    with factory() as s:
        info = analyses.analysis_info(s, analysis_id)
        answers = answers_of(s, info.analysis_id, info.rater_id)
        notes_of(s, info.analysis_id)
        group = groups.group_of_analysis(s, info.analysis_id)
        group = groups.group_info(s, group.id)  # the "Sie sind hier" fragment reads it again
        comps = benchmarks.comparisons(s, q, group, info.region)
    results = score_analysis(q, answers)
    if figure:
        band = comps[benchmarks.GROUP].picture
        charts.radar_figure(results, band, band_name=benchmarks.SCOPE_NAMES[benchmarks.GROUP])
    return comps


def _describe(comps: dict) -> str:  # type: ignore[type-arg]
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
    q = _questionnaire()
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


# --------------------------------------------------------------------------------------------
# Part 3: browser
# --------------------------------------------------------------------------------------------

# Resolves with performance.now() (ms since navigation start) once the trace named `frag` in the
# results-radar container's plotly chart has an SVG path with a drawn outline.
_BAND_VISIBLE = """(frag) => {
  const plot = document.querySelector('.st-key-results-radar .js-plotly-plot');
  if (!plot) return false;
  for (const g of plot.querySelectorAll('g.trace')) {
    const cd = g.__data__;
    const trace = Array.isArray(cd) && cd[0] && cd[0].trace;
    if (!trace || !String(trace.name || '').includes(frag)) continue;
    for (const p of g.querySelectorAll('path')) {
      const d = p.getAttribute('d');
      if (d && d.length > 8 && d !== 'M0,0Z') return performance.now();
    }
  }
  return false;
}"""


# Notes when the results-radar container first enters the DOM (the server has run the page up to
# it), to split the load into server/script time and the chart's own rendering.
_MARK_CONTAINER = """(() => {
  const obs = new MutationObserver(() => {
    if (document.querySelector('.st-key-results-radar')) {
      window.__container = performance.now();
      obs.disconnect();
    }
  });
  obs.observe(document, {subtree: true, childList: true});
})()"""


def _demo_code(url: str, q: Questionnaire) -> str:
    from mintqo.services import demo

    migrate(url)
    engine = make_engine(url)
    with session_factory(engine)() as s:
        started = demo.create_demo(s, q)  # submitted; the resume link lands on its results
        demo.create_demo_group(s, q, started)  # 8 submitted analyses with it, released once
    engine.dispose()
    return started.code


def _token(url: str, code: str) -> str:
    """A browser-session token for the demo analysis, as a reload of the results page carries."""
    engine = make_engine(url)
    with session_factory(engine)() as s:
        token = logins.open_login_session(s, logins.resume_with_code(s, code), 12)
    engine.dispose()
    return token


def bench_browser(loads: int) -> None:
    """Median ms from navigation to the band drawn, mintqo results vs bare radar, alternating.

    Three ways in: a resume link (`/?code=`, fresh browser, cold cache), a reload of the results
    page (`/ergebnisse?sitzung=`, fresh browser, cold cache) and the same reload with a warm
    browser cache (one browser context per side, as a participant who has the app open).
    """
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="mintqo-bench-results-"))
    url = f"sqlite:///{tmp / 'ui.sqlite3'}"
    code = _demo_code(url, _questionnaire())
    env = {**os.environ, "MINTQO_DATABASE_URL": url}
    ours_proc, ours_url = start_streamlit("app.py", env, tmp / "ours.log")
    bare_proc, bare_url = start_streamlit("bench/bare_radar.py", env, tmp / "bare.log")

    def load(context, target: str, frag: str) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        """(ms to the radar container, ms to the band drawn), both from navigation start."""
        page = context.new_page()
        # A token read from the URL is exchanged for a new one (and ends a minute later): each
        # reload gets its own, made before the clock starts.
        target = target.replace("{token}", _token(url, code)) if "{token}" in target else target
        try:
            page.goto(target, wait_until="commit")
            handle = page.wait_for_function(_BAND_VISIBLE, arg=frag, polling="raf", timeout=60000)
            return float(page.evaluate("() => window.__container")), float(handle.json_value())
        finally:
            page.close()

    ways = {
        "resume link /?code=, cold cache": (f"{ours_url}/?code={code}", False),
        "reload /ergebnisse?sitzung=, cold cache": (f"{ours_url}/ergebnisse?sitzung={{token}}", False),
        "reload /ergebnisse?sitzung=, warm cache": (f"{ours_url}/ergebnisse?sitzung={{token}}", True),
    }
    results: dict[str, tuple[list[tuple[float, float]], list[tuple[float, float]]]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))

            def fresh():  # type: ignore[no-untyped-def]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_init_script(_MARK_CONTAINER)
                return context

            for name, (target, warm) in ways.items():
                ours_ms: list[tuple[float, float]] = []
                bare_ms: list[tuple[float, float]] = []
                kept = (fresh(), fresh()) if warm else None
                for i in range(loads + 2):
                    ours_ctx, bare_ctx = kept or (fresh(), fresh())
                    o = load(ours_ctx, target, "mittlere 50")
                    b = load(bare_ctx, bare_url, "Radar")
                    if not warm:
                        ours_ctx.close()
                        bare_ctx.close()
                    if i >= 2:  # first loads warm the servers' script caches (and the browser's)
                        ours_ms.append(o)
                        bare_ms.append(b)
                if kept:
                    for context in kept:
                        context.close()
                results[name] = (ours_ms, bare_ms)
            browser.close()
    finally:
        stop(ours_proc)
        stop(bare_proc)
    print("results page load (navigation → band drawn in the radar, headless Chromium, 1280×900)")
    for name, (ours_ms, bare_ms) in results.items():
        o, b = statistics.median(t for _, t in ours_ms), statistics.median(t for _, t in bare_ms)
        oc, bc = statistics.median(c for c, _ in ours_ms), statistics.median(c for c, _ in bare_ms)
        print(f"  {name} (median of {len(ours_ms)} loads each)")
        print(f"    mintqo results page : {o:8.1f} ms   (radar container after {oc:.0f} ms)")
        print(f"    bare Streamlit radar: {b:8.1f} ms   (radar container after {bc:.0f} ms)")
        print(f"    ratio               : {o / b:8.2f}×   (goal ≤ 1.2×)")


def main() -> None:
    """Parse arguments and run the selected benchmarks."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=100, help="analyses in the small database")
    parser.add_argument("--large", type=int, default=100_000, help="analyses in the large database")
    parser.add_argument("--repeat", type=int, default=31, help="interleaved rounds of the data path")
    parser.add_argument("--raw-repeat", type=int, default=5, help="rounds of the raw GROUP BY")
    parser.add_argument(
        "--service-releases",
        type=int,
        help=f"groups of a database with more than {SERVICE_ALL_UP_TO} groups released through"
        " releases.release (default 10; smaller databases release all groups through it)",
    )
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached databases")
    parser.add_argument("--loads", type=int, default=15, help="page loads per side in the browser part")
    parser.add_argument("--only", choices=["data", "browser"])
    args = parser.parse_args()
    if args.only in (None, "data"):
        bench_data(args.small, args.large, args.repeat, args.raw_repeat, args.service_releases, args.rebuild)
    if args.only in (None, "browser"):
        bench_browser(args.loads)


if __name__ == "__main__":
    main()
