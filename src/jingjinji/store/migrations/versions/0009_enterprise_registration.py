"""Enterprise registration: canonical 登记状态, 成立日期 and 注销/吊销日期 of registry rows.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("enterprises", sa.Column("status", sa.String(length=8), nullable=True))
    op.add_column("enterprises", sa.Column("founded_on", sa.Date(), nullable=True))
    op.add_column("enterprises", sa.Column("closed_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("enterprises") as batch:
        batch.drop_column("closed_on")
        batch.drop_column("founded_on")
        batch.drop_column("status")
