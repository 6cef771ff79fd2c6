"""workshop groups, releases and scope histograms

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 15:05:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("region_key", sa.String(length=80), nullable=False),
        sa.Column("edition", sa.String(length=80), nullable=False),
        sa.Column("part1_date", sa.Date(), nullable=True),
        sa.Column("part2_date", sa.Date(), nullable=True),
        sa.Column("part3_date", sa.Date(), nullable=True),
        sa.Column("join_until", sa.Date(), nullable=True),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("facilitator_code_hash", sa.String(length=64), nullable=False),
        sa.Column("join_code_hash", sa.String(length=64), nullable=False),
        sa.Column("presenting", sa.Boolean(), nullable=False),
        sa.Column("slide", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("k >= 3", name=op.f("ck_workshop_group_k_min")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workshop_group")),
        sa.UniqueConstraint("facilitator_code_hash", name=op.f("uq_workshop_group_facilitator_code_hash")),
        sa.UniqueConstraint("join_code_hash", name=op.f("uq_workshop_group_join_code_hash")),
    )
    op.create_index(op.f("ix_workshop_group_region_key"), "workshop_group", ["region_key"], unique=False)
    op.create_table(
        "group_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("n_members", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["workshop_group.id"],
            name=op.f("fk_group_release_group_id_workshop_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_release")),
        sa.UniqueConstraint("group_id", "seq", name=op.f("uq_group_release_group_id")),
    )
    op.create_index(op.f("ix_group_release_group_id"), "group_release", ["group_id"], unique=False)
    for table in ("release_member", "release_histogram"):
        columns = (
            [
                sa.Column("analysis_id", sa.Integer(), nullable=False),
                sa.Column("version", sa.String(length=40), nullable=False),
            ]
            if table == "release_member"
            else [
                sa.Column("item", sa.String(length=40), nullable=False),
                sa.Column("bin", sa.String(length=8), nullable=False),
                sa.Column("count", sa.Integer(), nullable=False),
            ]
        )
        key = ["release_id", "analysis_id"] if table == "release_member" else ["release_id", "item", "bin"]
        op.create_table(
            table,
            sa.Column("release_id", sa.Integer(), nullable=False),
            *columns,
            sa.ForeignKeyConstraint(
                ["release_id"],
                ["group_release.id"],
                name=op.f(f"fk_{table}_release_id_group_release"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{table}")),
        )
    op.create_table(
        "scope_histogram",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("item", sa.String(length=40), nullable=False),
        sa.Column("bin", sa.String(length=8), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "item", "bin", name=op.f("pk_scope_histogram")),
    )
    op.create_table(
        "scope_state",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("n_members", sa.Integer(), nullable=False),
        sa.Column("n_groups", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_scope_state")),
    )
    with op.batch_alter_table("analysis") as batch:
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(batch.f("ix_analysis_group_id"), ["group_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_analysis_group_id_workshop_group"),
            "workshop_group",
            ["group_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("login_session") as batch:
        batch.add_column(sa.Column("group_id", sa.Integer(), nullable=True))
        batch.alter_column("analysis_id", existing_type=sa.Integer(), nullable=True)
        batch.create_index(batch.f("ix_login_session_group_id"), ["group_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_login_session_group_id_workshop_group"),
            "workshop_group",
            ["group_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_check_constraint("one_target", "(analysis_id IS NULL) <> (group_id IS NULL)")


def downgrade() -> None:
    # Facilitator sessions have no analysis; revision 0001 cannot hold them.
    op.execute("DELETE FROM login_session WHERE group_id IS NOT NULL")
    with op.batch_alter_table("login_session") as batch:
        batch.drop_constraint("one_target", type_="check")
        batch.drop_constraint("fk_login_session_group_id_workshop_group", type_="foreignkey")
        batch.drop_index("ix_login_session_group_id")
        batch.drop_column("group_id")
        batch.alter_column("analysis_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("analysis") as batch:
        batch.drop_constraint("fk_analysis_group_id_workshop_group", type_="foreignkey")
        batch.drop_index("ix_analysis_group_id")
        batch.drop_column("joined_at")
        batch.drop_column("group_id")
    for table in ("scope_state", "scope_histogram", "release_histogram", "release_member", "group_release"):
        op.drop_table(table)
    op.drop_index(op.f("ix_workshop_group_region_key"), table_name="workshop_group")
    op.drop_table("workshop_group")
