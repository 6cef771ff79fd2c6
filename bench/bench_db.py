"""Synthetic benchmark databases: groups of 10 analyses in up to 150 regions, cached under var/bench/.

The databases are bulk-written with sqlite3 and keyed by size, schema revision and DATA_VERSION.
Releases go through the real `releases.release` where that is fast enough (all groups of the
small database, a sample of the large one); the rest are computed with the real domain
functions (`contribution`, `release_plan.plan_release`) and folded in with the real `scopes.replace_part`.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from mintqo.config import PROJECT_ROOT, Settings
from mintqo.db.engine import alembic_config, make_engine, migrate, session_factory
from mintqo.domain import release_plan
from mintqo.domain.histograms import answer_part, contribution
from mintqo.domain.questionnaire import Questionnaire
from mintqo.domain.workshop import region_key
from mintqo.questionnaire_files import get_edition
from mintqo.services import release_inputs, releases, scopes

DATA_VERSION = "2"  # bump when the generated data changes, so cached databases are rebuilt
CACHE_DIR = PROJECT_ROOT / "var" / "bench"
GROUP_SIZE = 10
MAX_REGIONS = 150
K = 3
SERVICE_ALL_UP_TO = 200  # groups; bigger databases release a sample through the service
TS = "2026-11-24 12:00:00.000000"  # SQLAlchemy's SQLite DateTime format


def questionnaire() -> Questionnaire:
    return get_edition(Settings().questionnaire_dir, Settings().default_edition)


def _head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or "none"


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
        assert rel_id is not None, "sqlite3 returns the inserted row's id"
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
