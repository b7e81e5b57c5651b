"""Supply–demand market: listings, listing segments, matches and their history, challenge
applications and milestones, follows and inbox items.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("place_adcode", sa.String(length=6), nullable=True),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("industries", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=True),
        sa.Column("achievement_type", sa.String(length=20), nullable=True),
        sa.Column("patent_numbers", sa.JSON(), nullable=False),
        sa.Column("transaction_modes", sa.JSON(), nullable=False),
        sa.Column("price_min", sa.Float(), nullable=True),
        sa.Column("price_max", sa.Float(), nullable=True),
        sa.Column("budget", sa.Float(), nullable=True),
        sa.Column("reward", sa.Float(), nullable=True),
        sa.Column("price_per_hour", sa.Float(), nullable=True),
        sa.Column("instrument_category", sa.String(length=50), nullable=True),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("advantage", sa.Text(), nullable=False),
        sa.Column("economics", sa.Text(), nullable=False),
        sa.Column("commercial_route", sa.Text(), nullable=False),
        sa.Column("current_solution", sa.Text(), nullable=False),
        sa.Column("target_indicators", sa.Text(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=False),
        sa.Column("challenge_stage", sa.String(length=8), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=False),
        sa.Column("contact_public", sa.Boolean(), nullable=False),
        sa.Column("provenance", sa.String(length=16), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_listings_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listings")),
    )
    op.create_index("ix_listings_kind_status", "listings", ["kind", "status"], unique=False)
    op.create_index(
        op.f("ix_listings_organization_id"), "listings", ["organization_id"], unique=False
    )
    op.create_index(op.f("ix_listings_place_adcode"), "listings", ["place_adcode"], unique=False)
    op.create_index("ix_listings_updated_at", "listings", ["updated_at"], unique=False)
    op.create_index(op.f("ix_listings_valid_until"), "listings", ["valid_until"], unique=False)
    op.create_table(
        "challenge_applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["challenge_id"],
            ["listings.id"],
            name=op.f("fk_challenge_applications_challenge_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_challenge_applications_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_challenge_applications")),
        sa.UniqueConstraint(
            "challenge_id", "organization_id", name=op.f("uq_challenge_applications_challenge_id")
        ),
    )
    op.create_index(
        op.f("ix_challenge_applications_challenge_id"),
        "challenge_applications",
        ["challenge_id"],
        unique=False,
    )
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("target_kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "target_kind", "target", name=op.f("uq_follows_user_id")),
    )
    op.create_index(op.f("ix_follows_user_id"), "follows", ["user_id"], unique=False)
    op.create_table(
        "inbox_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_inbox_items_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_inbox_items_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_items")),
    )
    op.create_index(op.f("ix_inbox_items_user_id"), "inbox_items", ["user_id"], unique=False)
    op.create_table(
        "listing_segments",
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(length=64), nullable=False),
        sa.Column("industry", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_listing_segments_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("listing_id", "segment", name=op.f("pk_listing_segments")),
    )
    op.create_index(
        op.f("ix_listing_segments_industry"), "listing_segments", ["industry"], unique=False
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("achievement_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("stage", sa.String(length=8), nullable=False),
        sa.Column("decline_reason", sa.String(length=16), nullable=True),
        sa.Column("decline_note", sa.String(length=500), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["achievement_id"],
            ["listings.id"],
            name=op.f("fk_matches_achievement_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["demand_id"],
            ["listings.id"],
            name=op.f("fk_matches_demand_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
        sa.UniqueConstraint("demand_id", "achievement_id", name=op.f("uq_matches_demand_id")),
    )
    op.create_index(op.f("ix_matches_achievement_id"), "matches", ["achievement_id"], unique=False)
    op.create_index(op.f("ix_matches_demand_id"), "matches", ["demand_id"], unique=False)
    op.create_index(op.f("ix_matches_stage"), "matches", ["stage"], unique=False)
    op.create_table(
        "match_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("from_stage", sa.String(length=8), nullable=False),
        sa.Column("to_stage", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_match_events_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_match_events_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_events")),
    )
    op.create_index(op.f("ix_match_events_match_id"), "match_events", ["match_id"], unique=False)
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["challenge_applications.id"],
            name=op.f("fk_milestones_application_id_challenge_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
    )
    op.create_index(
        op.f("ix_milestones_application_id"), "milestones", ["application_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_milestones_application_id"), table_name="milestones")
    op.drop_table("milestones")
    op.drop_index(op.f("ix_match_events_match_id"), table_name="match_events")
    op.drop_table("match_events")
    op.drop_index(op.f("ix_matches_stage"), table_name="matches")
    op.drop_index(op.f("ix_matches_demand_id"), table_name="matches")
    op.drop_index(op.f("ix_matches_achievement_id"), table_name="matches")
    op.drop_table("matches")
    op.drop_index(op.f("ix_listing_segments_industry"), table_name="listing_segments")
    op.drop_table("listing_segments")
    op.drop_index(op.f("ix_inbox_items_user_id"), table_name="inbox_items")
    op.drop_table("inbox_items")
    op.drop_index(op.f("ix_follows_user_id"), table_name="follows")
    op.drop_table("follows")
    op.drop_index(
        op.f("ix_challenge_applications_challenge_id"), table_name="challenge_applications"
    )
    op.drop_table("challenge_applications")
    op.drop_index(op.f("ix_listings_valid_until"), table_name="listings")
    op.drop_index("ix_listings_updated_at", table_name="listings")
    op.drop_index(op.f("ix_listings_place_adcode"), table_name="listings")
    op.drop_index(op.f("ix_listings_organization_id"), table_name="listings")
    op.drop_index("ix_listings_kind_status", table_name="listings")
    op.drop_table("listings")
