"""Alembic environment: runs on the connection handed over by ``jingjinji.store.migrate``."""

from __future__ import annotations

from alembic import context

import jingjinji.store.models  # noqa: F401  (registers every table)
from jingjinji.store.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the platform always hands a connection over
    raise RuntimeError("run migrations through jingjinji.store.migrate.upgrade()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
