"""Database: declarative base, engines, sessions, migrations, tables."""

from jingjinji.store.base import Base, utcnow
from jingjinji.store.engine import (
    create_db_engine,
    make_session_factory,
    refresh_statistics,
    transaction,
)
from jingjinji.store.migrate import current_revision, head_revision, upgrade
from jingjinji.store.read_cache import ReadCache, stale_reads, table_stamp

__all__ = [
    "Base",
    "ReadCache",
    "create_db_engine",
    "current_revision",
    "head_revision",
    "make_session_factory",
    "refresh_statistics",
    "stale_reads",
    "table_stamp",
    "transaction",
    "upgrade",
    "utcnow",
]
