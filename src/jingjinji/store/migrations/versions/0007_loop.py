"""The loop: listings drafted from chain-map gaps.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gap_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("industry", sa.String(length=64), nullable=False),
        sa.Column("segment", sa.String(length=80), nullable=False),
        sa.Column("place_key", sa.String(length=80), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_gap_listings_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_gap_listings_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_gap_listings_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gap_listings")),
        sa.UniqueConstraint("listing_id", name=op.f("uq_gap_listings_listing_id")),
    )
    op.create_index(
        op.f("ix_gap_listings_suggestion_id"), "gap_listings", ["suggestion_id"], unique=False
    )
    op.create_index(op.f("ix_gap_listings_industry"), "gap_listings", ["industry"], unique=False)
    op.create_index(op.f("ix_gap_listings_place_key"), "gap_listings", ["place_key"], unique=False)
    op.create_index(
        op.f("ix_gap_listings_organization_id"), "gap_listings", ["organization_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_gap_listings_organization_id"), table_name="gap_listings")
    op.drop_index(op.f("ix_gap_listings_place_key"), table_name="gap_listings")
    op.drop_index(op.f("ix_gap_listings_industry"), table_name="gap_listings")
    op.drop_index(op.f("ix_gap_listings_suggestion_id"), table_name="gap_listings")
    op.drop_table("gap_listings")
