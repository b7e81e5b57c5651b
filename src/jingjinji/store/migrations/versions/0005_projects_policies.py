"""The collaboration project library and the shared policy list.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _common(table: str) -> list[sa.Column[object] | sa.Constraint]:
    """Provenance, owner, version, timestamps, key and the owner's foreign key."""
    return [
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("provenance", sa.String(20), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("addresses", sa.String(200), nullable=True),
        sa.Column("origin_adcode", sa.String(6), nullable=False),
        sa.Column("destination_adcode", sa.String(6), nullable=False),
        sa.Column("industry", sa.String(80), nullable=True),
        sa.Column("segments", sa.JSON(), nullable=False),
        sa.Column("platform", sa.String(80), nullable=True),
        sa.Column("park", sa.String(80), nullable=True),
        sa.Column("investment", sa.Float(), nullable=False),
        sa.Column("stage", sa.String(8), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("operating_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("enterprises", sa.JSON(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        *_common("projects"),
        sa.UniqueConstraint("name", "destination_adcode", name=op.f("uq_projects_name")),
    )
    for column in (
        "origin_adcode",
        "destination_adcode",
        "industry",
        "stage",
        "signed_on",
        "organization_id",
    ):
        op.create_index(op.f(f"ix_projects_{column}"), "projects", [column])
    op.create_table(
        "policies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("place_adcode", sa.String(6), nullable=False),
        sa.Column("department", sa.String(200), nullable=False),
        sa.Column("number", sa.String(100), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("target_places", sa.JSON(), nullable=False),
        sa.Column("target_industries", sa.JSON(), nullable=False),
        sa.Column("target_segments", sa.JSON(), nullable=False),
        sa.Column("target_tags", sa.JSON(), nullable=False),
        sa.Column("target_sizes", sa.JSON(), nullable=False),
        sa.Column("revenue_min", sa.Float(), nullable=True),
        sa.Column("revenue_max", sa.Float(), nullable=True),
        sa.Column("founded_after", sa.Date(), nullable=True),
        sa.Column("benefits", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("full_text", sa.Text(), nullable=False),
        sa.Column("link", sa.String(1000), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        *_common("policies"),
    )
    for column in ("place_adcode", "number", "expires_on", "type", "organization_id"):
        op.create_index(op.f(f"ix_policies_{column}"), "policies", [column])


def downgrade() -> None:
    op.drop_table("policies")
    op.drop_table("projects")
