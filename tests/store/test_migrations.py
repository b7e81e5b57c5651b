"""Migrations upgrade a database that already holds data, without losing it.

Keep this current: when a migration is added, insert rows at the previous head here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from jingjinji.store import create_db_engine, current_revision, head_revision, upgrade
from jingjinji.store.migrate import revisions


def test_revisions_form_one_line() -> None:
    assert revisions()[0] == "0001"
    assert revisions()[-1] == head_revision()


@pytest.mark.db
def test_upgrade_from_previous_head_keeps_rows(database_url: str) -> None:
    engine = create_db_engine(database_url)
    previous = revisions()[-2]
    upgrade(engine, previous)
    assert current_revision(engine) == previous
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organizations (id, name, kind, place_adcode, created_at, updated_at) "
                "VALUES (1, '保定市科技局', 'government', '130600', '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, password_hash, role, "
                "organization_id, is_active, created_at, updated_at) VALUES "
                "(1, 'bd_editor', '保定编辑', 'x', 'editor', 1, :active, "
                "'2026-01-01', '2026-01-01')"
            ),
            {"active": True},
        )
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        org = conn.execute(text("SELECT name, version FROM organizations")).one()
        user = conn.execute(text("SELECT username, organization_id, version FROM users")).one()
    assert tuple(org) == ("保定市科技局", 1)
    assert tuple(user) == ("bd_editor", 1, 1)
    engine.dispose()


@pytest.mark.db
def test_models_match_migrations(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    import jingjinji.store.models  # noqa: F401
    from jingjinji.store.base import Base

    engine = create_db_engine(database_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []


def _value_for(column: sa.Column[object]) -> object:
    """A plain value that fits a reflected column's type (foreign keys point at row 1)."""
    if column.foreign_keys:
        return 1
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.Float | sa.Numeric):
        return 1.5
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1)
    if isinstance(kind, sa.JSON):
        return []
    length = getattr(kind, "length", None) or 64
    return "旧数据"[: max(1, min(length, 3))]


@pytest.mark.db
def test_upgrade_keeps_a_row_in_every_table_of_the_previous_head(database_url: str) -> None:
    """One row in every table at the previous head (filled by type, by reflection, so the
    test follows new migrations by itself) survives the upgrade to the newest head."""
    engine = create_db_engine(database_url)
    upgrade(engine, revisions()[-2])
    metadata = sa.MetaData()
    metadata.reflect(engine)
    tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
    with engine.begin() as conn:
        for table in tables:
            row = {
                column.name: _value_for(column)
                for column in table.columns
                if not column.nullable or column.primary_key
            }
            conn.execute(table.insert().values(**row))
    upgrade(engine)
    with engine.connect() as conn:
        for table in tables:
            count = conn.execute(sa.select(sa.func.count()).select_from(sa.table(table.name)))
            assert count.scalar_one() == 1, table.name
    engine.dispose()
