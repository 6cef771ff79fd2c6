"""Safe migrations for several replicas: concurrent init-db, readiness check, schema compatibility rule."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from alembic import command
from mintqo.cli import main
from mintqo.config import PROJECT_ROOT, Settings
from mintqo.db.engine import alembic_config, make_engine, migrate
from mintqo.db.schema_state import schema_state
from tests.support.devserver import free_port


def _cli(settings: Settings, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "MINTQO_DATABASE_URL": settings.database_url}
    return subprocess.Popen(
        [sys.executable, "-m", "mintqo", *args],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _set_revision(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})


def test_two_init_db_at_once_on_a_fresh_database_both_succeed(settings: Settings) -> None:
    processes = [_cli(settings, "init-db"), _cli(settings, "init-db")]
    results = [(p.wait(120), *p.communicate()) for p in processes]
    for code, out, err in results:
        assert code == 0, f"init-db failed:\n{out}\n{err}"
        assert "Datenbank ist bereit" in out
    engine = make_engine(settings.database_url)
    try:
        assert schema_state(engine).status == "current"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        engine.dispose()


def test_check_says_ready_only_at_head(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"], settings=settings) == 1
    assert "nicht bereit: Datenbank ist leer" in capsys.readouterr().out

    migrate(settings.database_url)
    assert main(["check"], settings=settings) == 0
    assert capsys.readouterr().out.startswith("bereit: Schema auf dem neuesten Stand")

    script = ScriptDirectory.from_config(alembic_config(settings.database_url))
    previous = script.get_revision(script.get_current_head()).down_revision
    engine = make_engine(settings.database_url)
    try:
        _set_revision(engine, str(previous))
        assert main(["check"], settings=settings) == 1
        assert f"nicht bereit: Schema veraltet ({previous}," in capsys.readouterr().out

        _set_revision(engine, "9999_from_a_newer_release")
        assert main(["check"], settings=settings) == 1
        assert "ist diesem Code unbekannt" in capsys.readouterr().out
        # A rollback of the code: the operator accepts the newer revision explicitly.
        rollback = replace(settings, accept_schema_revisions=("9999_from_a_newer_release",))
        assert main(["check"], settings=rollback) == 0
        assert "zugelassen" in capsys.readouterr().out
        # init-db of older code never touches a schema written by newer code.
        assert main(["init-db"], settings=settings) == 1
        assert "ist diesem Code unbekannt" in capsys.readouterr().err
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == (
                "9999_from_a_newer_release"
            )
    finally:
        engine.dispose()


def test_check_as_a_process_exits_1_with_one_line_when_the_database_is_down() -> None:
    down = Settings(database_url=f"postgresql+psycopg://mintqo:secret@127.0.0.1:{free_port()}/mintqo")
    process = _cli(down, "check")
    out, err = process.communicate(timeout=60)
    assert process.returncode == 1, err
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out + err
    assert out.startswith("nicht bereit: Datenbank postgresql+psycopg://mintqo:***@127.0.0.1")
    assert "secret" not in out


def _columns(engine: Engine) -> dict[tuple[str, str], tuple[bool, object, bool]]:
    """(table, column) → (nullable, type affinity, has a server default) of every column."""
    inspector = inspect(engine)
    return {
        (table, c["name"]): (bool(c["nullable"]), c["type"]._type_affinity, c.get("default") is not None)
        for table in inspector.get_table_names()
        if table != "alembic_version"
        for c in inspector.get_columns(table)
    }


def test_the_newest_migration_keeps_the_previous_release_working(settings: Settings) -> None:
    """The compatibility rule (docs/deployment.md): migrations are additive.

    Every table and column the previous revision had is still there with the same type and
    nullability (or relaxed to NULL), and a column added to an existing table is nullable or has
    a server default, so the previous release's INSERTs, which do not name it, still work.
    """
    cfg = alembic_config(settings.database_url)
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str), "head-1 must be a single revision"
    command.upgrade(cfg, previous)
    engine = make_engine(settings.database_url)
    try:
        before = _columns(engine)
        migrate(settings.database_url)
        after = _columns(engine)
    finally:
        engine.dispose()
    tables_before = {table for table, _ in before}
    problems = []
    for key, (nullable, affinity, _default) in before.items():
        if key not in after:
            problems.append(f"{key} dropped or renamed")
            continue
        new_nullable, new_affinity, _ = after[key]
        if new_affinity is not affinity:
            problems.append(f"{key} changed type {affinity.__name__} → {new_affinity.__name__}")
        if nullable and not new_nullable:
            problems.append(f"{key} became NOT NULL")
    for key, (nullable, _affinity, has_default) in after.items():
        if key not in before and key[0] in tables_before and not nullable and not has_default:
            problems.append(f"{key} added as NOT NULL without a server default")
    assert not problems, f"migration {head} breaks release {previous}: {problems}"
