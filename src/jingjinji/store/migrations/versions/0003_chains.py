"""The chain map: enterprises, their segments, saved place groups.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "enterprises",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("credit_code", sa.String(18), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("place_adcode", sa.String(6), nullable=False),
        sa.Column("industry_code", sa.String(8), nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("products", sa.Text(), nullable=False),
        sa.Column("tags", sa.String(200), nullable=False),
        sa.Column("size", sa.String(20), nullable=True),
        sa.Column("revenue", sa.Float(), nullable=True),
        sa.Column("provenance", sa.String(20), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_enterprises_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("credit_code", name=op.f("uq_enterprises_credit_code")),
    )
    op.create_index(op.f("ix_enterprises_name"), "enterprises", ["name"])
    op.create_index(op.f("ix_enterprises_place_adcode"), "enterprises", ["place_adcode"])
    op.create_table(
        "enterprise_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(80), nullable=False),
        sa.Column("industry", sa.String(40), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(500), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_enterprise_segments_enterprise_id_enterprises"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["users.id"],
            name=op.f("fk_enterprise_segments_reviewed_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise_segments")),
        sa.UniqueConstraint("enterprise_id", "segment", name="uq_enterprise_segments_pair"),
    )
    op.create_index(
        op.f("ix_enterprise_segments_enterprise_id"), "enterprise_segments", ["enterprise_id"]
    )
    op.create_index(op.f("ix_enterprise_segments_industry"), "enterprise_segments", ["industry"])
    op.create_index(
        "ix_enterprise_segments_segment_decision", "enterprise_segments", ["segment", "decision"]
    )
    op.create_table(
        "place_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("adcodes", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_place_groups_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_place_groups")),
        sa.UniqueConstraint("name", name=op.f("uq_place_groups_name")),
    )


def downgrade() -> None:
    op.drop_table("place_groups")
    op.drop_table("enterprise_segments")
    op.drop_table("enterprises")
