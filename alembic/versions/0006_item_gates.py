"""item gates: releases record withheld and carried items, release members what they added per item

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 08:00:00

Existing live releases are brought under the new gate (docs/privacy.md): an item resting on
fewer than 2k − 1 ratings is removed from the release and from the region and instance sums
it was folded into, and a release of fewer than 2k − 1 analyses is withdrawn whole.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _rated(item: str, hist: dict[str, int]) -> int:
    if item.startswith("s:"):
        return sum(c for b, c in hist.items() if b in ("1", "2", "3", "4"))
    if item.startswith(("u:", "c:")):
        return sum(c for b, c in hist.items() if b != "none")
    return sum(hist.values())


def _scopes(region_key: str, edition: str, round_no: int) -> list[str]:
    suffix = "" if round_no == 1 else f"@r{round_no}"
    return [f"region{suffix}:{edition}:{region_key}", f"instance{suffix}:{edition}"]


def upgrade() -> None:
    with op.batch_alter_table("group_release") as batch:
        batch.add_column(sa.Column("withheld", sa.Text(), nullable=True))
        batch.add_column(sa.Column("carried", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("release_member") as batch:
        batch.add_column(sa.Column("items", sa.Text(), nullable=True))
    conn = op.get_bind()
    live = conn.execute(
        sa.text(
            "SELECT r.id, r.group_id, r.round, r.n_members, g.k, g.region_key, g.edition, "
            "(SELECT max(r2.seq) FROM group_release r2 WHERE r2.group_id = r.group_id "
            "AND r2.round = r.round) = r.seq AS latest "
            "FROM group_release r JOIN workshop_group g ON g.id = r.group_id WHERE r.withdrawn_at IS NULL"
        )
    ).all()
    now = datetime.now(UTC)
    for rel_id, _group_id, round_no, n_members, k, region_key, edition, latest in live:
        hists: dict[str, dict[str, int]] = defaultdict(dict)
        for item, b, c in conn.execute(
            sa.text("SELECT item, bin, count FROM release_histogram WHERE release_id = :r"), {"r": rel_id}
        ):
            hists[item][b] = c
        gate = 2 * k - 1
        drop = list(hists) if n_members < gate else [i for i, h in hists.items() if _rated(i, h) < gate]
        for item in drop:
            if latest:
                for scope in _scopes(region_key, edition, round_no):
                    for b, c in hists[item].items():
                        conn.execute(
                            sa.text(
                                "UPDATE scope_histogram SET count = count - :c "
                                "WHERE scope = :s AND item = :i AND bin = :b"
                            ),
                            {"c": c, "s": scope, "i": item, "b": b},
                        )
            conn.execute(
                sa.text("DELETE FROM release_histogram WHERE release_id = :r AND item = :i"),
                {"r": rel_id, "i": item},
            )
        if n_members < gate:
            if latest:
                for scope in _scopes(region_key, edition, round_no):
                    conn.execute(
                        sa.text(
                            "UPDATE scope_state SET n_members = n_members - :n, n_groups = n_groups - 1 "
                            "WHERE scope = :s"
                        ),
                        {"n": n_members, "s": scope},
                    )
            conn.execute(
                sa.text("UPDATE group_release SET withdrawn_at = :t WHERE id = :r"), {"t": now, "r": rel_id}
            )
        else:
            withheld = "{" + ", ".join(f'"{i}": "few"' for i in sorted(drop)) + "}"
            conn.execute(
                sa.text("UPDATE group_release SET withheld = :w WHERE id = :r"), {"w": withheld, "r": rel_id}
            )
    conn.execute(sa.text("DELETE FROM scope_histogram WHERE count = 0"))


def downgrade() -> None:
    with op.batch_alter_table("release_member") as batch:
        batch.drop_column("items")
    with op.batch_alter_table("group_release") as batch:
        batch.drop_column("carried")
        batch.drop_column("withheld")
