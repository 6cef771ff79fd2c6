"""national data package: instance id, imported packages, their parts and histograms

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:00:00

The downgrade first takes the parts of every counting imported package out of the region and
instance figures they were added to (their scope keys are stored with each part), so the
figures go back to what this instance's own groups released. It also forgets the instance id:
after a downgrade and a new upgrade, this instance exports under a new id, and a national
instance would count its groups twice (see docs/national-package.md).
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instance_meta",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_instance_meta")),
    )
    op.create_table(
        "imported_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.String(length=36), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("source_instance", sa.String(length=36), nullable=False),
        sa.Column("active_source", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("n_parts", sa.Integer(), nullable=False),
        sa.Column("n_analyses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_package")),
        sa.UniqueConstraint("package_id", name=op.f("uq_imported_package_package_id")),
        sa.UniqueConstraint("sha256", name=op.f("uq_imported_package_sha256")),
        sa.UniqueConstraint("active_source", name=op.f("uq_imported_package_active_source")),
    )
    op.create_index(
        op.f("ix_imported_package_source_instance"), "imported_package", ["source_instance"], unique=False
    )
    op.create_table(
        "imported_part",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_package_id", sa.Integer(), nullable=False),
        sa.Column("edition", sa.String(length=80), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("region_key", sa.String(length=80), nullable=False),
        sa.Column("n_analyses", sa.Integer(), nullable=False),
        sa.Column("n_groups", sa.Integer(), nullable=False),
        sa.Column("period_first", sa.Date(), nullable=False),
        sa.Column("period_last", sa.Date(), nullable=False),
        sa.Column("region_scope", sa.String(length=200), nullable=False),
        sa.Column("instance_scope", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_package_id"],
            ["imported_package.id"],
            name=op.f("fk_imported_part_imported_package_id_imported_package"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_part")),
        sa.UniqueConstraint(
            "imported_package_id",
            "edition",
            "round",
            "region_key",
            name=op.f("uq_imported_part_imported_package_id"),
        ),
    )
    op.create_index(
        op.f("ix_imported_part_imported_package_id"), "imported_part", ["imported_package_id"], unique=False
    )
    op.create_table(
        "imported_histogram",
        sa.Column("part_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("bin", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["part_id"],
            ["imported_part.id"],
            name=op.f("fk_imported_histogram_part_id_imported_part"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("part_id", "item", "bin", name=op.f("pk_imported_histogram")),
    )


def _take_imports_out_of_scopes() -> None:
    """Subtract every counting imported part from the scopes it was added to."""
    conn = op.get_bind()
    parts = conn.execute(
        sa.text(
            "SELECT p.id, p.region_scope, p.instance_scope, p.n_analyses, p.n_groups "
            "FROM imported_part p JOIN imported_package k ON k.id = p.imported_package_id "
            "WHERE k.active_source IS NOT NULL"
        )
    ).all()
    for part_id, region_scope, instance_scope, n_analyses, n_groups in parts:
        rows = conn.execute(
            sa.text('SELECT item, bin, "count" FROM imported_histogram WHERE part_id = :p'), {"p": part_id}
        ).all()
        for scope in (region_scope, instance_scope):
            if rows:
                conn.execute(
                    sa.text(
                        'UPDATE scope_histogram SET "count" = "count" - :c '
                        "WHERE scope = :s AND item = :i AND bin = :b"
                    ),
                    [{"c": c, "s": scope, "i": i, "b": b} for i, b, c in rows],
                )
            conn.execute(
                sa.text(
                    "UPDATE scope_state SET n_members = n_members - :n, n_groups = n_groups - :g "
                    "WHERE scope = :s"
                ),
                {"n": n_analyses, "g": n_groups, "s": scope},
            )
    conn.execute(sa.text('DELETE FROM scope_histogram WHERE "count" <= 0'))


def downgrade() -> None:
    _take_imports_out_of_scopes()
    op.drop_table("imported_histogram")
    op.drop_index(op.f("ix_imported_part_imported_package_id"), table_name="imported_part")
    op.drop_table("imported_part")
    op.drop_index(op.f("ix_imported_package_source_instance"), table_name="imported_package")
    op.drop_table("imported_package")
    op.drop_table("instance_meta")
