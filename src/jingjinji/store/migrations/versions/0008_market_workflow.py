"""Market workflow: the challenge cycle's history (challenge_events), who applied and the reward
paid on an application, when and by whom a milestone was completed.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "challenge_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("from_stage", sa.String(length=8), nullable=False),
        sa.Column("to_stage", sa.String(length=8), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("reward_paid", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["challenge_applications.id"],
            name=op.f("fk_challenge_events_application_id_challenge_applications"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["listings.id"],
            name=op.f("fk_challenge_events_challenge_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_challenge_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_events")),
    )
    op.create_index(
        op.f("ix_challenge_events_challenge_id"), "challenge_events", ["challenge_id"], unique=False
    )
    with op.batch_alter_table("challenge_applications") as batch:
        batch.add_column(
            sa.Column("applicant", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("reward_paid", sa.Float(), nullable=True))
    with op.batch_alter_table("challenge_applications") as batch:
        batch.alter_column("applicant", server_default=None)
    with op.batch_alter_table("milestones") as batch:
        batch.add_column(sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("completed_by", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("milestones") as batch:
        batch.drop_column("completed_by")
        batch.drop_column("completed_at")
    with op.batch_alter_table("challenge_applications") as batch:
        batch.drop_column("reward_paid")
        batch.drop_column("applicant")
    op.drop_index(op.f("ix_challenge_events_challenge_id"), table_name="challenge_events")
    op.drop_table("challenge_events")
