"""Migration 0006 brings releases made under the old rules under the item gate, figures included."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import text

from alembic import command
from mintqo.config import Settings
from mintqo.db.engine import alembic_config, make_engine

NOW = datetime(2026, 11, 1, tzinfo=UTC)
EDITION = "mintqo-standard-2026.1"
REGION, INSTANCE = f"region:{EDITION}:nord", f"instance:{EDITION}"


def _group(conn, gid: int) -> None:
    conn.execute(
        text(
            "INSERT INTO workshop_group (id, name, region, region_key, edition, k, facilitator_code_hash,"
            " join_code_hash, presenting, slide, created_at) VALUES (:id, :n, 'Nord', 'nord', :e, 3, :f, :j,"
            " false, 0, :t)"
        ),
        {"id": gid, "n": f"G{gid}", "e": EDITION, "f": f"f{gid}", "j": f"j{gid}", "t": NOW},
    )


def _release(conn, rid: int, gid: int, n: int, hists: dict[str, dict[str, int]]) -> None:
    conn.execute(
        text(
            "INSERT INTO group_release (id, group_id, seq, round, n_members, created_at)"
            " VALUES (:id, :g, 1, 1, :n, :t)"
        ),
        {"id": rid, "g": gid, "n": n, "t": NOW},
    )
    for item, hist in hists.items():
        for b, c in hist.items():
            conn.execute(
                text("INSERT INTO release_histogram (release_id, item, bin, count) VALUES (:r, :i, :b, :c)"),
                {"r": rid, "i": item, "b": b, "c": c},
            )
            for scope in (REGION, INSTANCE):
                conn.execute(
                    text(
                        "INSERT INTO scope_histogram (scope, item, bin, count) VALUES (:s, :i, :b, :c)"
                        " ON CONFLICT (scope, item, bin) DO UPDATE SET count = scope_histogram.count + :c"
                    ),
                    {"s": scope, "i": item, "b": b, "c": c},
                )
    for scope in (REGION, INSTANCE):
        conn.execute(
            text(
                "INSERT INTO scope_state (scope, n_members, n_groups, updated_at) VALUES (:s, :n, 1, :t)"
                " ON CONFLICT (scope) DO UPDATE SET n_members = scope_state.n_members + :n,"
                " n_groups = scope_state.n_groups + 1"
            ),
            {"s": scope, "n": n, "t": NOW},
        )


def test_old_releases_lose_items_below_the_gate_and_small_releases_are_withdrawn(settings: Settings):
    cfg = alembic_config(settings.database_url)
    command.upgrade(cfg, "0005")
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        _group(conn, 1)
        _group(conn, 2)
        # Group 1 released at n = 3 (allowed before): two colluders could subtract themselves.
        _release(conn, 1, 1, 3, {"s:A1.1": {"3": 3}, "u:A1": {"30": 3}})
        # Group 2 at n = 6: one statement rests on 2 ratings (4 × "nicht zutreffend").
        _release(conn, 2, 2, 6, {"s:A1.1": {"2": 2, "na": 4}, "s:A1.2": {"3": 6}, "u:A1": {"30": 6}})
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        withdrawn = dict(conn.execute(text("SELECT id, withdrawn_at IS NOT NULL FROM group_release")).all())
        assert withdrawn == {1: True, 2: False}
        rows = conn.execute(text("SELECT release_id, item FROM release_histogram")).all()
        assert {(r, i) for r, i in rows} == {(2, "s:A1.2"), (2, "u:A1")}
        held = conn.execute(text("SELECT withheld FROM group_release WHERE id = 2")).scalar_one()
        assert json.loads(held) == {"s:A1.1": "few"}
        for scope in (REGION, INSTANCE):
            hist = conn.execute(
                text("SELECT item, bin, count FROM scope_histogram WHERE scope = :s"), {"s": scope}
            ).all()
            assert sorted(hist) == [("s:A1.2", "3", 6), ("u:A1", "30", 6)]
            state = conn.execute(
                text("SELECT n_members, n_groups FROM scope_state WHERE scope = :s"), {"s": scope}
            ).one()
            assert tuple(state) == (6, 1)
    engine.dispose()
