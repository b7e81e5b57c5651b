"""Migrations upgrade a database that already holds data, without losing it.

Keep this current: when a migration is added, insert rows at the previous head here.
"""

from __future__ import annotations

import pytest
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
