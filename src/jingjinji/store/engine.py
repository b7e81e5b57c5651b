"""Engines and sessions: created by the app's lifespan or the CLI, never at import time."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["create_db_engine", "create_private_file", "make_session_factory", "transaction"]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_private_file(path: Path) -> bool:
    """Create ``path`` empty and readable by its owner only (0600), unless it exists; whether
    it was created (not when it exists or cannot be made: whoever opens it next reports
    that). SQLite gives a database's -wal, -shm and -journal files the mode of the database
    file, so a file made here keeps its companions private too."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return False
    os.close(descriptor)
    return True


def create_db_engine(database_url: str, *, echo: bool = False, pool_size: int = 20) -> Engine:
    """An engine for ``database_url``; for SQLite the file's folder is created.

    SQLite connections enforce foreign keys and use WAL so readers never block the writer.
    The pool keeps ``pool_size`` connections and lends as many again under bursts (an
    in-memory SQLite database has one connection shared by all threads).
    """
    url = make_url(database_url)
    kwargs: dict[str, Any] = {"echo": echo}
    if url.database not in (None, "", ":memory:") or url.get_backend_name() != "sqlite":
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = pool_size
        kwargs["pool_timeout"] = 10
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            if not url.database.startswith("file:"):  # a URI filename is SQLite's to open
                create_private_file(Path(url.database))
        kwargs["connect_args"] = {"check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine``; objects stay usable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back everything on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def refresh_statistics(engine: Engine) -> None:
    """Give the query planner statistics of the tables as they are now (after a bulk load:
    ``jjj db init``, large imports). PostgreSQL: ``VACUUM ANALYZE`` (statistics, and the
    visibility map that lets ``count(*)`` and ``max`` be answered from an index); SQLite:
    ``ANALYZE``. Without it a freshly loaded PostgreSQL database is planned blind until
    autovacuum gets to it."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
