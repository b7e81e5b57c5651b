"""Analysts' own indicator systems (uploaded tables) and the method choices of an evaluation
that were fixed before: normalisation, the entropy shift, the coupling model's form and the
dimensions left out, and subjective weights (the system's own or an AHP matrix) combined with
a stated alpha.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "indicator_systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source_file", sa.String(255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_indicator_systems_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_indicator_systems_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_systems")),
        sa.UniqueConstraint("key", name=op.f("uq_indicator_systems_key")),
    )
    op.create_index(op.f("ix_indicator_systems_created_at"), "indicator_systems", ["created_at"])
    op.create_index(
        op.f("ix_indicator_systems_organization_id"), "indicator_systems", ["organization_id"]
    )
    with op.batch_alter_table("evaluations") as batch:
        batch.add_column(
            sa.Column("normalization", sa.String(16), nullable=False, server_default="minmax")
        )
        batch.add_column(sa.Column("shift", sa.Float(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("coupling_form", sa.String(16), nullable=False, server_default="corrected")
        )
        batch.add_column(
            sa.Column("drop_dimensions", sa.JSON(), nullable=False, server_default="[]")
        )
        batch.add_column(sa.Column("subjective", sa.String(16), nullable=True))
        batch.add_column(sa.Column("alpha", sa.Float(), nullable=False, server_default="0.5"))
        batch.add_column(sa.Column("ahp", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evaluations") as batch:
        for column in (
            "ahp",
            "alpha",
            "subjective",
            "drop_dimensions",
            "coupling_form",
            "shift",
            "normalization",
        ):
            batch.drop_column(column)
    op.drop_table("indicator_systems")
