"""Two-party deals and workspaces: proposals awaiting the other side, contract terms, deal
milestones and payments, confidentiality acceptances, deal notices in the inbox, project
stage history, one-time password-reset links and session details.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MATCH_ORGS = ("intent_org_id", "pending_org_id", "declined_by_org_id")


def upgrade() -> None:
    with op.batch_alter_table("matches") as batch:
        for name in _MATCH_ORGS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_matches_{name}_organizations", "organizations", [name], ["id"]
            )
        batch.add_column(sa.Column("pending_stage", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("pending_user_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_matches_pending_user_id_users",
            "users",
            ["pending_user_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.add_column(sa.Column("pending_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("pending_contract", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("contract", sa.JSON(), nullable=True))
    with op.batch_alter_table("match_events") as batch:
        batch.add_column(sa.Column("organization_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_match_events_organization_id_organizations",
            "organizations",
            ["organization_id"],
            ["id"],
        )
        batch.add_column(
            sa.Column("action", sa.String(length=8), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("on_behalf_reason", sa.String(length=300), nullable=False, server_default="")
        )
    with op.batch_alter_table("listings") as batch:
        batch.add_column(sa.Column("confidential", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("inbox_items") as batch:
        batch.add_column(
            sa.Column("kind", sa.String(length=8), nullable=False, server_default="关注")
        )
        batch.add_column(sa.Column("match_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_inbox_items_match_id_matches", "matches", ["match_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("auth_sessions") as batch:
        batch.add_column(
            sa.Column("user_agent", sa.String(length=200), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "deal_milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("planned_amount", sa.Float(), nullable=True),
        sa.Column("actual_on", sa.Date(), nullable=True),
        sa.Column("actual_amount", sa.Float(), nullable=True),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name="fk_deal_milestones_match_id_matches",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name="fk_deal_milestones_organization_id_organizations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_deal_milestones"),
    )
    op.create_index("ix_deal_milestones_match_id", "deal_milestones", ["match_id"])
    op.create_table(
        "confidentiality_acceptances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name="fk_confidentiality_acceptances_listing_id_listings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name="fk_confidentiality_acceptances_organization_id_organizations",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_confidentiality_acceptances_user_id_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_confidentiality_acceptances"),
        sa.UniqueConstraint(
            "listing_id", "organization_id", name=op.f("uq_confidentiality_acceptances_listing_id")
        ),
    )
    op.create_index(
        "ix_confidentiality_acceptances_organization_id",
        "confidentiality_acceptances",
        ["organization_id"],
    )
    op.create_table(
        "project_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("from_stage", sa.String(length=8), nullable=False),
        sa.Column("to_stage", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name="fk_project_events_project_id_projects",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_project_events_user_id_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_project_events"),
    )
    op.create_index("ix_project_events_project_id", "project_events", ["project_id"])
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_password_resets_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name="fk_password_resets_created_by_users",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_password_resets"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_resets_token_hash")),
    )
    op.create_index("ix_password_resets_user_id", "password_resets", ["user_id"])


def downgrade() -> None:
    for table in ("password_resets", "project_events", "confidentiality_acceptances"):
        op.drop_table(table)
    op.drop_table("deal_milestones")
    with op.batch_alter_table("auth_sessions") as batch:
        batch.drop_column("last_seen_at")
        batch.drop_column("user_agent")
    with op.batch_alter_table("inbox_items") as batch:
        batch.drop_constraint("fk_inbox_items_match_id_matches", type_="foreignkey")
        batch.drop_column("match_id")
        batch.drop_column("kind")
    with op.batch_alter_table("listings") as batch:
        batch.drop_column("confidential")
    with op.batch_alter_table("match_events") as batch:
        batch.drop_constraint("fk_match_events_organization_id_organizations", type_="foreignkey")
        batch.drop_column("on_behalf_reason")
        batch.drop_column("action")
        batch.drop_column("organization_id")
    with op.batch_alter_table("matches") as batch:
        batch.drop_constraint("fk_matches_pending_user_id_users", type_="foreignkey")
        for name in _MATCH_ORGS:
            batch.drop_constraint(f"fk_matches_{name}_organizations", type_="foreignkey")
        for name in (*_MATCH_ORGS, "pending_stage", "pending_user_id", "pending_at"):
            batch.drop_column(name)
        batch.drop_column("pending_contract")
        batch.drop_column("contract")
