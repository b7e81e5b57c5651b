"""Alembic migrations, applied on start, by ``jjj db upgrade`` and by the tests."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

__all__ = ["current_revision", "head_revision", "revisions", "stamp", "upgrade"]

_SCRIPTS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


@lru_cache(maxsize=1)
def _shipped_heads() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(_config()).get_heads())


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Upgrade the database behind ``engine`` to ``revision`` (default: the newest).

    On SQLite, Alembic's batch mode rebuilds a table to alter it (copy, drop, rename); with
    foreign keys enforced, dropping the old table would cascade-delete the rows that refer to
    it. Foreign keys are therefore off during the migration and checked afterwards
    (https://www.sqlite.org/lang_altertable.html#otheralter).
    """
    config = _config()
    with engine.connect() as connection:
        if revision == "heads" and _current_heads(connection) == _shipped_heads():
            return  # nothing to do: Alembic's own check loads every migration script
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:  # PRAGMA foreign_keys has no effect inside a transaction
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
            if broken:
                raise RuntimeError(f"migration left rows with broken foreign keys: {broken[:5]}")


def _current_heads(connection: Connection) -> frozenset[str]:
    """The revisions the database on ``connection`` is at (read in a transaction of its own,
    ended before returning)."""
    try:
        return frozenset(MigrationContext.configure(connection).get_current_heads())
    finally:
        connection.rollback()


def stamp(engine: Engine, revision: str = "heads") -> None:
    """Record ``revision`` as applied without running it (a schema made by other means)."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.stamp(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (heads joined by ``+``), ``None`` when empty."""
    with engine.connect() as connection:
        return "+".join(sorted(_current_heads(connection))) or None


def head_revision() -> str:
    """The newest revision shipped with the code (heads joined by ``+``)."""
    return "+".join(sorted(_shipped_heads()))


def revisions() -> list[str]:
    """All shipped revisions, oldest first."""
    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]
