"""The innovation chain: patents and the segments they land on.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "patents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_number", sa.String(20), nullable=False),
        sa.Column("publication_number", sa.String(40), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("abstract", sa.Text(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(8), nullable=True),
        sa.Column("legal_status", sa.String(8), nullable=True),
        sa.Column("main_ipc", sa.String(20), nullable=False),
        sa.Column("ipc", sa.Text(), nullable=False),
        sa.Column("applicants", sa.Text(), nullable=False),
        sa.Column("applicant_kind", sa.String(12), nullable=False),
        sa.Column("owner", sa.String(500), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("place_adcode", sa.String(6), nullable=True),
        sa.Column("place_source", sa.String(10), nullable=False),
        sa.Column("provenance", sa.String(20), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_patents_organization_id_organizations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patents")),
        sa.UniqueConstraint("application_number", name=op.f("uq_patents_application_number")),
    )
    op.create_index(op.f("ix_patents_place_adcode"), "patents", ["place_adcode"])
    op.create_index("ix_patents_updated_at", "patents", ["updated_at"])
    op.create_table(
        "patent_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patent_id", sa.Integer(), nullable=False),
        sa.Column("segment", sa.String(80), nullable=False),
        sa.Column("industry", sa.String(40), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(12), nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patent_id"],
            ["patents.id"],
            name=op.f("fk_patent_segments_patent_id_patents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patent_segments")),
        sa.UniqueConstraint("patent_id", "segment", name="uq_patent_segments_pair"),
    )
    op.create_index(op.f("ix_patent_segments_patent_id"), "patent_segments", ["patent_id"])
    op.create_index(op.f("ix_patent_segments_industry"), "patent_segments", ["industry"])
    op.create_index(
        "ix_patent_segments_segment_decision", "patent_segments", ["segment", "decision"]
    )


def downgrade() -> None:
    op.drop_table("patent_segments")
    op.drop_table("patents")
