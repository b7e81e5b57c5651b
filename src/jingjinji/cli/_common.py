"""Shared pieces of the CLI: the error type, settings loading, database access."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jingjinji.settings import Settings
from jingjinji.store import create_db_engine, make_session_factory, transaction, upgrade
from jingjinji.store.models import Organization

__all__ = [
    "CliError",
    "console",
    "err_console",
    "find_organization",
    "load_settings",
    "open_database",
    "session_scope",
]

console = Console()
err_console = Console(stderr=True)


class CliError(Exception):
    """An error the CLI reports as one line (no traceback unless ``--debug``)."""


def load_settings() -> Settings:
    """Settings from the environment; a bad value names its ``JJJ_*`` variable."""
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise CliError(f"JJJ_{field.upper()}: {message}") from exc


def open_database(settings: Settings, *, migrate: bool = True) -> Engine:
    """An engine for the configured database, checked and (by default) upgraded."""
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        if migrate:
            upgrade(engine)
    except SQLAlchemyError as exc:
        shown = engine.url.render_as_string(hide_password=True)
        reason = (str(getattr(exc, "orig", None) or exc).splitlines() or ["unknown error"])[0]
        raise CliError(f"JJJ_DATABASE_URL: cannot open database {shown}: {reason}") from exc
    return engine


@contextmanager
def session_scope(settings: Settings | None = None) -> Iterator[Session]:
    """One transaction on the configured database: committed on success, else rolled back."""
    engine = open_database(settings or load_settings())
    try:
        with transaction(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def find_organization(session: Session, key: str | None) -> Organization | None:
    """The organization named ``key`` (or with that id when ``key`` is all digits); ``None``
    for ``None``; :class:`CliError` naming ``--org`` when there is none."""
    if key is None:
        return None
    org = session.scalar(
        select(Organization).where(
            Organization.id == int(key) if key.isdigit() else Organization.name == key
        )
    )
    if org is None:
        raise CliError(f"--org: no organization {key!r}")
    return org


def build_market_index(settings: Settings, engine: Engine, *, rebuild: bool = True) -> int:
    """Build (or with ``rebuild=False`` load when current) the matching index of the
    database and save it next to the database, so a server started afterwards loads it
    instead of building it; returns the number of published listings indexed."""
    from jingjinji.atlas import load_atlas
    from jingjinji.market import MarketIndex, index_folder, model_folder, weights_from

    index = MarketIndex(
        load_atlas(),
        folder=index_folder(settings),
        weights=weights_from(settings),
        models=model_folder(settings),
    )
    with make_session_factory(engine)() as session:
        if rebuild:
            return index.rebuild(session)
        index.open(session)
        return len(index.matcher.profiles)
