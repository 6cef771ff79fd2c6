"""presented round: the round of group picture the facilitator shows in the presentation

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 20:00:00

NULL (every existing group) means the newest released round, as before.
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_group") as batch:
        batch.add_column(sa.Column("shown_round", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workshop_group") as batch:
        batch.drop_column("shown_round")
