"""Saved evaluations of the indicators module.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("system_id", sa.String(64), nullable=False),
        sa.Column("system_name", sa.String(200), nullable=False),
        sa.Column("weighting", sa.String(16), nullable=False),
        sa.Column("aggregation", sa.String(16), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("fill", sa.String(16), nullable=True),
        sa.Column("coupling", sa.String(16), nullable=True),
        sa.Column("panel_kind", sa.String(16), nullable=False),
        sa.Column("panel_name", sa.String(255), nullable=False),
        sa.Column("input_digest", sa.String(64), nullable=False),
        sa.Column("params_digest", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_evaluations_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_evaluations_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluations")),
    )
    op.create_index(op.f("ix_evaluations_created_at"), "evaluations", ["created_at"])
    op.create_index(op.f("ix_evaluations_organization_id"), "evaluations", ["organization_id"])
    op.create_index(op.f("ix_evaluations_input_digest"), "evaluations", ["input_digest"])


def downgrade() -> None:
    op.drop_table("evaluations")
