"""credentials: presenter tokens that open only a group's presentation, wrong-code throttling in the database

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "presenter_session",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["workshop_group.id"],
            name=op.f("fk_presenter_session_group_id_workshop_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_presenter_session")),
    )
    with op.batch_alter_table("presenter_session") as batch:
        batch.create_index(batch.f("ix_presenter_session_group_id"), ["group_id"], unique=False)
    op.create_table(
        "login_throttle",
        sa.Column("bucket", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_login_throttle")),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    with op.batch_alter_table("presenter_session") as batch:
        batch.drop_index(batch.f("ix_presenter_session_group_id"))
    op.drop_table("presenter_session")
