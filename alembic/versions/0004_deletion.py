"""deletion: release members keep their project id and an answers fingerprint, releases can be withdrawn

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("release_member") as batch:
        batch.add_column(sa.Column("project_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("answers_version", sa.String(length=40), nullable=True))
    # The release rule must still see a deleted analysis as a member of the releases it was in.
    op.execute(
        "UPDATE release_member SET project_id = "
        "(SELECT analysis.project_id FROM analysis WHERE analysis.id = release_member.analysis_id)"
    )
    with op.batch_alter_table("group_release") as batch:
        batch.add_column(sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("group_release") as batch:
        batch.drop_column("withdrawn_at")
    with op.batch_alter_table("release_member") as batch:
        batch.drop_column("answers_version")
        batch.drop_column("project_id")
