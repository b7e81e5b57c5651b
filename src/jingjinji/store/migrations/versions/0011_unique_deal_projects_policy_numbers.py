"""At most one project per deal, one policy per 文号: unique indexes as the last guard against
two simultaneous creates.

Rows that already break them are kept and told apart first, each change written to the
audit log (actor ``migration 0011``):

- projects naming the same ``match_id``: the oldest (lowest id) keeps it, the others no
  longer name a deal (their ``source`` still says where they came from);
- policies sharing a 文号: the oldest keeps it, the others get ``（重复 #id）`` appended, so
  nothing is lost and an editor can correct them.

Both are partial indexes (``WHERE`` the value is present), which SQLite and PostgreSQL
create without rebuilding the table.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "migration 0011"
HAS_MATCH = "match_id IS NOT NULL"
HAS_NUMBER = "number IS NOT NULL AND trim(number) <> ''"
#: Length of ``policies.number``.
NUMBER_LENGTH = 100

_projects = sa.table("projects", sa.column("id", sa.Integer), sa.column("match_id", sa.Integer))
_policies = sa.table("policies", sa.column("id", sa.Integer), sa.column("number", sa.String))
_audit = sa.table(
    "audit_log",
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("user_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("entity", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def _later_duplicates(conn: sa.Connection, table: sa.TableClause, column: str) -> list[sa.Row]:
    """``(id, value)`` of the rows of ``table`` whose ``column`` an older row also holds."""
    value = table.c[column]
    present = sa.text(HAS_MATCH if column == "match_id" else HAS_NUMBER)
    first = (
        sa.select(value, sa.func.min(table.c.id).label("first_id"))
        .where(present)
        .group_by(value)
        .having(sa.func.count() > 1)
        .subquery()
    )
    query = (
        sa.select(table.c.id, value)
        .join(first, value == first.c[column])
        .where(table.c.id != first.c.first_id)
        .order_by(table.c.id)
    )
    return list(conn.execute(query))


def _audit_change(
    conn: sa.Connection, entity: str, row_id: int, field: str, before: object, after: object
) -> None:
    conn.execute(
        _audit.insert().values(
            at=datetime.now(UTC),
            user_id=None,
            actor=ACTOR,
            action="update",
            entity=entity,
            entity_id=str(row_id),
            before={field: before},
            after={field: after},
        )
    )


def _renamed(number: str, row_id: int) -> str:
    """``number`` marked as a duplicate of row ``row_id``, within the column's length."""
    mark = f"（重复 #{row_id}）"
    return number[: NUMBER_LENGTH - len(mark)] + mark


def upgrade() -> None:
    conn = op.get_bind()
    for row_id, match_id in _later_duplicates(conn, _projects, "match_id"):
        conn.execute(_projects.update().where(_projects.c.id == row_id).values(match_id=None))
        _audit_change(conn, "project", row_id, "match_id", match_id, None)
    for row_id, number in _later_duplicates(conn, _policies, "number"):
        renamed = _renamed(number, row_id)
        conn.execute(_policies.update().where(_policies.c.id == row_id).values(number=renamed))
        _audit_change(conn, "policy", row_id, "number", number, renamed)
    op.create_index(
        "uq_projects_match_id",
        "projects",
        ["match_id"],
        unique=True,
        sqlite_where=sa.text(HAS_MATCH),
        postgresql_where=sa.text(HAS_MATCH),
    )
    op.create_index(
        "uq_policies_number",
        "policies",
        ["number"],
        unique=True,
        sqlite_where=sa.text(HAS_NUMBER),
        postgresql_where=sa.text(HAS_NUMBER),
    )


def downgrade() -> None:
    op.drop_index("uq_policies_number", table_name="policies")
    op.drop_index("uq_projects_match_id", table_name="projects")
