"""The national data package (format 2) end to end: a regional instance exports, a national one imports.

Both instances run on the backend under test (a second SQLite file, or a second PostgreSQL
database on the same server).
"""

from __future__ import annotations

import contextlib
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from alembic import command
from mintqo.cli import main as cli_main
from mintqo.config import Settings
from mintqo.db.engine import alembic_config, make_engine, migrate, session_factory
from mintqo.db.models import ImportedHistogram, ImportedPackage, ImportedPart
from mintqo.domain import package as pkg
from mintqo.domain import package_format as fmt
from mintqo.domain.anonymity import gate, rated
from mintqo.domain.histograms import dont_know_total, merge
from mintqo.domain.package import PackageError
from mintqo.domain.profile import Profile
from mintqo.domain.questionnaire import ANSWER_VALUES, Questionnaire
from mintqo.services import (
    analyses,
    group_comparisons,
    groups,
    package_export,
    package_import,
    releases,
    scopes,
)
from mintqo.services.answers import record_answer, save_note
from tests.support import group_oracle as oracle
from tests.support.projects import workshop_group

SCORES = ("1", "2", "3", "4")
SECRET_NOTE = "Beleg: Förderbescheid 2026 liegt vor"


@pytest.fixture
def regional(settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """A second, empty instance on the same backend as `settings` (the national one)."""
    if settings.database_url.startswith("sqlite"):
        yield Settings(database_url=f"sqlite:///{tmp_path / 'regional.sqlite3'}")
        return
    url = make_url(settings.database_url)
    name = f"{url.database}_regional"  # beside the test process's own database (one per xdist worker)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield Settings(database_url=url.set(database=name).render_as_string(hide_password=False))
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@contextlib.contextmanager
def _open(s: Settings) -> Iterator[tuple[Engine, Session]]:
    migrate(s.database_url)
    engine = make_engine(s.database_url)
    try:
        with session_factory(engine)() as session:
            yield engine, session
    finally:
        engine.dispose()


def _answers(q: Questionnaire, rng: random.Random) -> dict[str, str]:
    out = {sub.statements[0].id: rng.choice(SCORES) for sub in q.subcriteria}
    for st in rng.sample([s for s in q.statements() if s.id not in out], 5):
        out[st.id] = rng.choice(ANSWER_VALUES)
    return out


def _released_group(
    session: Session, q: Questionnaire, name: str, region: str, n: int, seed: int
) -> groups.CreatedGroup:
    """A workshop group of n projects (answers, a note each), all submitted and released."""
    created = workshop_group(session, q, name, region)
    rng = random.Random(seed)
    for i in range(n):
        started = analyses.start_analysis(
            session, q, Profile(f"Initiative {name} {i}", f"Projekt {name} {i}", region=region)
        )
        info = analyses.analysis_info(session, started.analysis_id)
        for sid, value in _answers(q, rng).items():
            record_answer(session, q, info.analysis_id, info.rater_id, sid, value)
        save_note(session, q, info.analysis_id, q.subcriteria[0].id, note=SECRET_NOTE, action_needed=True)
        groups.join_group(session, info.analysis_id, created.join_code)
        analyses.submit(session, info.analysis_id)
    releases.release(session, created.group_id, q)
    return created


def _release_hists(session: Session, group_id: int) -> dict[str, dict[str, int]]:
    latest = releases.latest_release(session, group_id)
    assert latest is not None
    return releases.release_histograms(session, latest.id)


def _dump(engine: Engine) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, as sorted text (to compare a database before and after)."""
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(engine).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"'))
            out[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def _histograms(*releases_: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """What a part holds as histograms: the summed statement and score items of the releases."""
    return {i: h for i, h in oracle.plain(merge(releases_)).items() if i[0] in "suc"}


def _scoped(*hists: dict[str, dict[str, int]], parts: tuple[pkg.Part, ...] = ()) -> dict[str, dict[str, int]]:
    """A region or instance figure: local releases plus imported parts (totals as {"1": total})."""
    return oracle.plain(merge([*hists, *(pkg.scope_histograms(p) for p in parts)]))


def _export(s: Settings, path: Path) -> pkg.Package:
    with _open(s) as (_, session):
        package, content = package_export.export_package(session, s.questionnaire_dir)
    package_export.write_new_file(path, content)
    return package


def _import(s: Settings, path: Path) -> package_import.ImportResult:
    with _open(s) as (_, session):
        return package_import.import_package(session, package_import.read_package(path, s.questionnaire_dir))


def _figure(session: Session, scope: str) -> tuple[int, int, dict[str, dict[str, int]]]:
    fig = scopes.scope_figure(session, scope)
    return fig.n_members, fig.n_groups, oracle.plain(fig.hists)


@pytest.fixture
def regional_package(regional: Settings, questionnaire: Questionnaire, tmp_path: Path):
    """Regional instance: Nord (groups of 6 and 5 analyses), Süd (5); releases need 2k − 1 = 5."""
    q = questionnaire
    with _open(regional) as (_, session):
        a = _released_group(session, q, "Workshop Nord A", "Nord", 6, 1)
        b = _released_group(session, q, "Workshop Nord B", "nord", 5, 2)
        c = _released_group(session, q, "Workshop Süd", "Süd", 5, 3)
        hists = {g: _release_hists(session, g.group_id) for g in (a, b, c)}
    path = tmp_path / "regional.json"
    return _export(regional, path), path, hists


# --- export --------------------------------------------------------------------------------------------


def test_export_sums_the_latest_release_of_every_group_per_region_and_nothing_else(
    regional, regional_package, questionnaire
):
    package, path, hists = regional_package
    a, b, c = hists.values()
    assert [(p.region, p.round, p.n_analyses, p.n_groups) for p in package.parts] == [
        ("Nord", 1, 11, 2),
        ("Süd", 1, 5, 1),
    ]
    assert package.parts[0].histograms == _histograms(a, b)
    assert package.parts[1].histograms == _histograms(c)
    # "weiß nicht" and measures only as totals over the part's analyses.
    nord = oracle.plain(merge([a, b]))
    assert package.parts[0].dont_know == {
        sub.id: dont_know_total(nord[f"d:{sub.id}"]) for sub in questionnaire.subcriteria
    }
    assert package.parts[0].measures == {
        sub.id: {
            s: dont_know_total(nord[f"m:{sub.id}:{s}"])
            for s in ("begonnen", "geplant", "umgesetzt", "verworfen")
        }
        for sub in questionnaire.subcriteria
    }
    today = datetime.now(UTC).date()
    assert all(p.first == p.last == today for p in package.parts)
    raw = path.read_bytes()
    # Only aggregates: no names, notes, codes or ids of analyses, projects or groups.
    text_ = raw.decode("utf-8")
    for secret in ("Initiative", "Projekt", "Workshop", SECRET_NOTE, "Förderbescheid"):
        assert secret not in text_
    doc = json.loads(raw)

    def strings(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                yield from strings(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v, key)
        elif isinstance(value, str):
            yield key, value

    ids = {"format", "package_id", "source_instance", "created_at", "sha256"}
    assert {k for k, _ in strings(doc)} == ids | {"edition", "region", "first", "last"}
    assert doc["version"] == 2
    with _open(regional) as (_, session):
        assert doc["source_instance"] == package_export.instance_id(session)


def test_a_part_never_holds_a_per_analysis_count_nor_a_histogram_below_the_gate(regional_package):
    _, path, hists = regional_package
    assert all(any(i.startswith(("d:", "m:")) for i in h) for h in hists.values())  # the releases hold them
    for part in json.loads(path.read_bytes())["parts"]:
        assert part["n_analyses"] >= gate(3)
        assert part["histograms"] and part["dont_know"] and part["measures"]
        for item, hist in part["histograms"].items():
            assert not item.startswith(("d:", "m:")), item
            assert rated(item, hist) >= gate(3), (item, hist)
            assert sum(hist.values()) <= part["n_analyses"]


def test_the_instance_id_is_made_on_first_need_and_kept(settings):
    with _open(settings) as (engine, session):
        before = _dump(engine)
        assert package_export.instance_id(session, create=False) is None
        assert _dump(engine) == before
        made = package_export.instance_id(session)
        assert made is not None and len(made) == 36
        again = package_export.instance_id(session, create=False)
        assert package_export.instance_id(session) == made == again


def test_an_instance_without_releases_exports_an_empty_package(settings, tmp_path):
    with _open(settings) as (_, session):
        package, content = package_export.export_package(session, settings.questionnaire_dir)
    assert package.parts == () and json.loads(content)["parts"] == []


# --- import --------------------------------------------------------------------------------------------


def test_imported_parts_count_in_the_national_benchmarks(settings, regional_package, questionnaire):
    _, path, hists = regional_package
    a, b, c = hists.values()
    q = questionnaire
    with _open(settings) as (_, session):
        own = _released_group(session, q, "Workshop Nord Zentral", "Nord", 5, 9)
        own_hists = _release_hists(session, own.group_id)
    result = _import(settings, path)
    assert result.status == package_import.IMPORTED and result.replaced_created_at is None
    nord, sued = result.package.parts
    with _open(settings) as (_, session):
        region = scopes.region_scope("nord", q.edition)
        assert _figure(session, region) == (16, 3, _scoped(own_hists, parts=(nord,)))
        assert _figure(session, scopes.instance_scope(q.edition)) == (
            21,
            4,
            _scoped(own_hists, parts=(nord, sued)),
        )
        # The benchmarks of the national instance include the imported figures.
        info = groups.group_info(session, own.group_id)
        seen = group_comparisons.comparisons(session, q, info, None)
        assert seen[group_comparisons.GROUP].picture.n_members == 5
        assert seen[group_comparisons.REGION].picture.n_members == 16
        assert seen[group_comparisons.REGION].label == "Region Nord · 3 Gruppen"
        assert seen[group_comparisons.INSTANCE].picture.n_members == 21
        assert seen[group_comparisons.INSTANCE].label == "Alle Workshopgruppen · 4 Gruppen"
        # Imported totals of "weiß nicht" add up with the own group's, as if every group were local.
        everything = oracle.plain(merge([own_hists, a, b]))
        region_dont_know = seen[group_comparisons.REGION].picture.dont_know
        assert any(region_dont_know.values())
        assert {s: t for s, t in region_dont_know.items() if t} == {
            sub.id: t for sub in q.subcriteria if (t := dont_know_total(everything[f"d:{sub.id}"]))
        }
        # Someone without a group who names a region that exists only in the package sees it too.
        outsider = group_comparisons.comparisons(session, q, None, "Süd")
        assert outsider[group_comparisons.REGION].picture.n_members == 5
        assert outsider[group_comparisons.REGION].hists == _scoped(parts=(sued,))
        assert _histograms(outsider[group_comparisons.REGION].hists) == _histograms(c)
        # (a zero total adds nothing to the sums, so the picture lists only totals above zero)
        assert outsider[group_comparisons.REGION].picture.dont_know == {
            s: t for s, t in sued.dont_know.items() if t
        }
        assert [s.n_parts for s in package_import.imported(session)] == [2]


def test_importing_the_same_package_twice_counts_it_once(settings, regional_package, questionnaire):
    _, path, _ = regional_package
    assert _import(settings, path).status == package_import.IMPORTED
    with _open(settings) as (engine, _):
        after_first = _dump(engine)
    assert _import(settings, path).status == package_import.DUPLICATE
    # The same package written with other spacing is still the same package.
    respaced = path.with_name("respaced.json")
    respaced.write_text(json.dumps(json.loads(path.read_bytes())), encoding="utf-8")
    assert _import(settings, respaced).status == package_import.DUPLICATE
    with _open(settings) as (engine, session):
        assert _dump(engine) == after_first
        assert _figure(session, scopes.instance_scope(questionnaire.edition))[0] == 16


def test_a_newer_package_of_the_same_instance_replaces_the_older_one(
    settings, regional, regional_package, questionnaire, tmp_path
):
    q = questionnaire
    first, first_path, _ = regional_package
    assert _import(settings, first_path).status == package_import.IMPORTED
    with _open(regional) as (_, session):
        _released_group(session, q, "Workshop Ost", "Ost", 5, 4)
    second_path = tmp_path / "second.json"
    second = _export(regional, second_path)
    assert second.source_instance == first.source_instance and second.created_at > first.created_at
    result = _import(settings, second_path)
    assert result.status == package_import.REPLACED and result.replaced_created_at == first.created_at
    with _open(settings) as (_, session):
        assert _figure(session, scopes.instance_scope(q.edition)) == (21, 4, _scoped(parts=second.parts))
        assert _figure(session, scopes.region_scope("ost", q.edition))[:2] == (5, 1)
        assert _figure(session, scopes.region_scope("nord", q.edition))[:2] == (11, 2)
        # The replaced package is remembered (ids, dates), its figures are gone.
        rows = {r.package_id: r for r in session.scalars(select(ImportedPackage))}
        assert rows[first.package_id].active_source is None and rows[first.package_id].superseded_at
        parts = session.scalars(select(ImportedPart.imported_package_id)).all()
        assert set(parts) == {rows[second.package_id].id}
        assert [s.package_id for s in package_import.imported(session)] == [second.package_id]
    # The older package again: already imported, nothing changes.
    assert _import(settings, first_path).status == package_import.DUPLICATE
    # A newer package in which a region has no figure any more takes it out.
    empty = pkg.make_package(
        [p for p in second.parts if p.region != "Ost"],
        package_id="9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4",
        source_instance=second.source_instance,
        created_at=second.created_at + timedelta(minutes=5),
    )
    third_path = tmp_path / "third.json"
    third_path.write_bytes(pkg.to_bytes(empty))
    assert _import(settings, third_path).status == package_import.REPLACED
    with _open(settings) as (_, session):
        assert _figure(session, scopes.region_scope("ost", q.edition)) == (0, 0, {})
        assert _figure(session, scopes.instance_scope(q.edition)) == (16, 3, _scoped(parts=first.parts))


def test_an_older_package_than_the_imported_one_is_refused(settings, regional, regional_package, tmp_path):
    _, older_path, _ = regional_package
    newer_path = tmp_path / "newer.json"
    _export(regional, newer_path)
    assert _import(settings, newer_path).status == package_import.IMPORTED
    with _open(settings) as (engine, _):
        before = _dump(engine)
    with pytest.raises(PackageError, match="schon ein neueres Paket importiert"):
        _import(settings, older_path)
    with _open(settings) as (engine, _):
        assert _dump(engine) == before


def test_imported_figures_are_never_exported_again(settings, regional_package, questionnaire, tmp_path):
    _, path, _ = regional_package
    with _open(settings) as (_, session):
        own = _released_group(session, questionnaire, "Workshop Nord Zentral", "Nord", 5, 9)
        own_hists = _release_hists(session, own.group_id)
    _import(settings, path)
    national = _export(settings, tmp_path / "national.json")
    assert [(p.region, p.n_analyses, p.n_groups) for p in national.parts] == [("Nord", 5, 1)]
    assert national.parts[0].histograms == _histograms(own_hists)


def _tampered(path: Path, tmp_path: Path) -> dict[str, Path]:
    raw = path.read_bytes()
    doc = json.loads(raw)
    files: dict[str, bytes] = {"truncated": raw[: len(raw) // 2], "binary": b"\x00\x01\x02" + raw}
    changed = json.loads(raw)
    hist = next(h for i, h in changed["parts"][0]["histograms"].items() if i.startswith("u:"))
    hist[next(iter(hist))] += 1  # a score histogram rests on every analysis: now one too many
    files["changed count"] = json.dumps(changed).encode()
    changed["sha256"] = pkg.checksum(changed)
    files["changed count, new checksum"] = json.dumps(changed).encode()
    small = json.loads(raw)
    small["parts"][0]["histograms"]["s:A1.1"] = {"1": 4, "na": small["parts"][0]["n_analyses"] - 4}
    small["sha256"] = pkg.checksum(small)
    files["histogram below the gate"] = json.dumps(small).encode()
    per_analysis = json.loads(raw)
    per_analysis["parts"][0]["histograms"]["d:A1"] = {"0": per_analysis["parts"][0]["n_analyses"]}
    per_analysis["sha256"] = pkg.checksum(per_analysis)
    files["per-analysis histogram"] = json.dumps(per_analysis).encode()
    wrong = dict(doc, version=3)
    wrong["sha256"] = pkg.checksum(wrong)
    files["version 3"] = json.dumps(wrong).encode()
    unknown = json.loads(raw)
    unknown["parts"][1]["edition"] = "anders-2030.1"
    unknown["sha256"] = pkg.checksum(unknown)
    files["unknown edition"] = json.dumps(unknown).encode()
    same_id = json.loads(raw)
    same_id["parts"] = same_id["parts"][:1]
    same_id["sha256"] = pkg.checksum(same_id)
    files["same id, other content"] = json.dumps(same_id).encode()
    out = {}
    for name, content in files.items():
        out[name] = tmp_path / f"{name}.json"
        out[name].write_bytes(content)
    return out


def test_a_rejected_package_leaves_every_table_unchanged(settings, regional_package, tmp_path, capsys):
    _, path, _ = regional_package
    first_half = dict(list(_tampered(path, tmp_path).items())[:-1])
    with _open(settings) as (engine, _):
        before = _dump(engine)
    for name, bad in first_half.items():
        assert cli_main(["import-package", str(bad)], settings=settings) == 2, name
        err = capsys.readouterr().err
        assert err.startswith("Fehler: Das Paket ist ungültig und wurde nicht importiert"), (name, err)
        assert "Traceback" not in err
        with _open(settings) as (engine, _):
            assert _dump(engine) == before, name
    # With a package imported, a package with its id but other content is refused as well …
    assert cli_main(["import-package", str(path)], settings=settings) == 0
    capsys.readouterr()
    with _open(settings) as (engine, _):
        before = _dump(engine)
    same_id = _tampered(path, tmp_path)["same id, other content"]
    assert cli_main(["import-package", str(same_id)], settings=settings) == 2
    assert "mit dieser Paket-Id, aber anderem Inhalt" in capsys.readouterr().err
    # … and so is a package of this instance itself.
    own = tmp_path / "own.json"
    assert cli_main(["export-package", "--output", str(own)], settings=settings) == 0
    capsys.readouterr()
    with _open(settings) as (engine, _):
        before = _dump(engine)
    assert cli_main(["import-package", str(own)], settings=settings) == 2
    assert "stammt von dieser Instanz selbst" in capsys.readouterr().err
    with _open(settings) as (engine, _):
        assert _dump(engine) == before


def _version_1(release_hists: dict[str, dict[str, int]], n: int, edition: str) -> dict:
    """A package as mintqo wrote it before format 2: per-analysis histograms of every item."""
    doc = {
        "format": "mintqo-national-package",
        "version": 1,
        "package_id": "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4",
        "source_instance": "5f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
        "created_at": "2026-11-30T08:00:00.000000Z",
        "parts": [
            {
                "edition": edition,
                "round": 1,
                "region": "Süd",
                "n_analyses": n,
                "n_groups": 1,
                "period": {"first": "2026-11-03", "last": "2026-11-03"},
                "histograms": oracle.plain(release_hists),
            }
        ],
    }
    doc["sha256"] = pkg.checksum(doc)
    return doc


def test_a_version_1_package_is_refused_whole_with_how_to_re_export(
    settings, regional_package, questionnaire, tmp_path, capsys
):
    _, path, hists = regional_package
    old = tmp_path / "alt.json"
    old.write_text(json.dumps(_version_1(list(hists.values())[2], 5, questionnaire.edition)), "utf-8")
    assert cli_main(["import-package", str(path)], settings=settings) == 0  # a format-2 package counts
    capsys.readouterr()
    with _open(settings) as (engine, _):
        before = _dump(engine)
    assert cli_main(["import-package", str(old)], settings=settings) == 2
    err = capsys.readouterr().err
    assert err == f"Fehler: {fmt.OLD_FORMAT}\n"
    assert err.startswith(
        "Fehler: Dieses Paket hat das alte Format 1. Es kann einzelne Antworten preisgeben und wird "
        "deshalb nicht mehr eingelesen"
    )
    assert "mit der aktuellen mintqo-Version neu: python -m mintqo export-package" in err
    with _open(settings) as (engine, _):
        assert _dump(engine) == before
    with pytest.raises(PackageError) as info:
        package_import.read_package(old, settings.questionnaire_dir)
    assert info.value.message == fmt.OLD_FORMAT


def test_a_failure_while_writing_rolls_the_whole_import_back(settings, regional_package, monkeypatch):
    _, path, _ = regional_package
    with _open(settings) as (engine, _):
        before = _dump(engine)
    calls = []

    def failing(*args, **kwargs):
        calls.append(args)
        if len(calls) == 3:  # after the first part went into both of its scopes
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    original = scopes.replace_part
    monkeypatch.setattr(scopes, "replace_part", failing)
    with pytest.raises(RuntimeError):
        _import(settings, path)
    with _open(settings) as (engine, _):
        assert _dump(engine) == before


# --- command line --------------------------------------------------------------------------------------


def test_cli_export_and_import(settings, regional, regional_package, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli_main(["export-package"], settings=regional) == 0
    out = capsys.readouterr().out
    name = f"mintqo-paket-{datetime.now(UTC):%Y-%m-%d}.json"
    assert out.startswith(f"Paket geschrieben: {tmp_path / name}\n")
    assert "2 Teile, 16 Selbstanalysen – nur Häufigkeiten je Aussage und Kriterium" in out
    assert "Runde 1 · Region Nord: 11 Selbstanalysen aus 2 Gruppen" in out
    assert "Runde 1 · Region Süd: 5 Selbstanalysen aus 1 Gruppe (Freigaben" in out
    # A second export on the same day gets a name of its own; --output never overwrites.
    assert cli_main(["export-package"], settings=regional) == 0
    second = tmp_path / name.replace(".json", "-2.json")
    assert capsys.readouterr().out.startswith(f"Paket geschrieben: {second}\n")
    before = second.read_bytes()
    assert cli_main(["export-package", "--output", str(second)], settings=regional) == 2
    assert (
        capsys.readouterr().err == f"Fehler: {second} gibt es schon – bitte einen neuen Dateinamen wählen.\n"
    )
    assert second.read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))

    assert cli_main(["import-package", name], settings=settings) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Paket importiert: {name}\n")
    assert "2 Teile, 16 Selbstanalysen – sie zählen ab jetzt in den Vergleichen" in out
    assert cli_main(["import-package", name], settings=settings) == 0
    assert "schon importiert" in capsys.readouterr().out
    assert cli_main(["import-package", str(second)], settings=settings) == 0
    assert "Es ersetzt das Paket derselben Instanz vom" in capsys.readouterr().out
    assert cli_main(["list-packages"], settings=settings) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0] == "1 Instanz zählt mit ihrem neuesten Paket:"
    assert len(listing) == 2 and listing[1].endswith(", 2 Teile, 16 Selbstanalysen")
    assert cli_main(["import-package", "gibt-es-nicht.json"], settings=settings) == 2
    assert capsys.readouterr().err == "Fehler: Die Datei gibt-es-nicht.json gibt es nicht.\n"


def test_downgrade_takes_imported_figures_out_and_upgrade_works_again(settings, tmp_path, questionnaire):
    q = questionnaire
    regional = Settings(database_url=f"sqlite:///{tmp_path / 'regional.sqlite3'}")
    with _open(regional) as (_, session):
        _released_group(session, q, "Workshop Süd", "Süd", 5, 3)
    path = tmp_path / "p.json"
    _export(regional, path)
    with _open(settings) as (engine, session):
        own = _released_group(session, q, "Workshop Nord", "Nord", 5, 9)
        own_hists = _release_hists(session, own.group_id)
    _import(settings, path)
    cfg = alembic_config(settings.database_url)
    command.downgrade(cfg, "0004")
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT scope, n_members, n_groups FROM scope_state ORDER BY scope")).all()
        hist_rows = conn.execute(
            text('SELECT item, bin, "count" FROM scope_histogram WHERE scope = :s'),
            {"s": scopes.instance_scope(q.edition)},
        ).all()
    engine.dispose()
    assert sorted(rows) == sorted(
        [
            (scopes.instance_scope(q.edition), 5, 1),
            (scopes.region_scope("nord", q.edition), 5, 1),
            (scopes.region_scope("süd", q.edition), 0, 0),
        ]
    )
    assert {(i, b): c for i, b, c in hist_rows} == {
        (i, b): c for i, h in oracle.plain(own_hists).items() for b, c in h.items()
    }
    command.upgrade(cfg, "head")
    _import(settings, path)
    with _open(settings) as (_, session):
        assert _figure(session, scopes.instance_scope(q.edition))[:2] == (10, 2)
        assert session.scalar(select(ImportedHistogram.count).limit(1)) is not None
