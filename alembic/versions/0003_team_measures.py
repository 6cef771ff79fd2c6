"""team consensus, measures, rater in login sessions, rounds of group releases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 15:55:00
"""

from __future__ import annotations

import sqlalchemy as sa

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consensus",
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value IN ('1', '2', '3', '4', 'na', 'dk')", name=op.f("ck_consensus_value")),
        sa.ForeignKeyConstraint(
            ["analysis_id"],
            ["analysis.id"],
            name=op.f("fk_consensus_analysis_id_analysis"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("analysis_id", "statement_id", name=op.f("pk_consensus")),
    )
    op.create_table(
        "measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("analysis_id", sa.Integer(), nullable=False),
        sa.Column("subcriterion_id", sa.String(length=32), nullable=False),
        sa.Column("what", sa.String(length=300), nullable=False),
        sa.Column("who", sa.String(length=120), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('geplant', 'begonnen', 'umgesetzt', 'verworfen')", name=op.f("ck_measure_status")
        ),
        sa.ForeignKeyConstraint(
            ["analysis_id"], ["analysis.id"], name=op.f("fk_measure_analysis_id_analysis"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["project.id"], name=op.f("fk_measure_project_id_project"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure")),
    )
    op.create_index(op.f("ix_measure_analysis_id"), "measure", ["analysis_id"], unique=False)
    op.create_index(op.f("ix_measure_project_id"), "measure", ["project_id"], unique=False)
    with op.batch_alter_table("group_release") as batch:
        batch.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="1"))
    # Measure items ("m:<sub-criterion>:<status>") need more room than statement items.
    for table in ("release_histogram", "scope_histogram"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("item", existing_type=sa.String(length=40), type_=sa.String(length=64))
    with op.batch_alter_table("login_session") as batch:
        batch.add_column(sa.Column("rater_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_login_session_rater_id"), ["rater_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_login_session_rater_id_rater"), "rater", ["rater_id"], ["id"], ondelete="CASCADE"
        )


def downgrade() -> None:
    with op.batch_alter_table("login_session") as batch:
        batch.drop_constraint("fk_login_session_rater_id_rater", type_="foreignkey")
        batch.drop_index("ix_login_session_rater_id")
        batch.drop_column("rater_id")
    with op.batch_alter_table("group_release") as batch:
        batch.drop_column("round")
    for table in ("release_histogram", "scope_histogram"):
        with op.batch_alter_table(table) as batch:
            batch.alter_column("item", existing_type=sa.String(length=64), type_=sa.String(length=40))
    op.drop_index(op.f("ix_measure_project_id"), table_name="measure")
    op.drop_index(op.f("ix_measure_analysis_id"), table_name="measure")
    op.drop_table("measure")
    op.drop_table("consensus")
