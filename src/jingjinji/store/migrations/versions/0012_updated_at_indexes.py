"""Indexes on ``updated_at``: the read caches detect a change with ``max(updated_at)`` and a
count, which an index answers without reading the table (projects also by stage, for the 投产
stamp).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_enterprises_updated_at", "enterprises", ("updated_at",)),
    ("ix_enterprise_segments_updated_at", "enterprise_segments", ("updated_at",)),
    ("ix_matches_updated_at", "matches", ("updated_at",)),
    ("ix_policies_updated_at", "policies", ("updated_at",)),
    ("ix_projects_updated_at", "projects", ("updated_at",)),
    ("ix_projects_stage_updated_at", "projects", ("stage", "updated_at")),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, list(columns))


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
