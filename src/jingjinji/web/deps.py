"""Dependency aliases for routes: SessionDep, SettingsDep, AtlasDep, MarketIndexDep,
OptionalUser, …

A dependency that only reads the app's state is ``async def``: FastAPI runs a plain ``def``
dependency in the thread pool, and each such hand-over (a queue, a wake-up of the event loop,
a switch of the interpreter lock) cost more under load than the lookup itself. The session
stays a plain generator: closing it returns the connection to the pool (database I/O).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.settings import Settings
from jingjinji.store.models import User
from jingjinji.web.security import AuthState, auth_state

__all__ = [
    "AtlasDep",
    "AuthDep",
    "MarketIndexDep",
    "OptionalUser",
    "SessionDep",
    "SettingsDep",
    "get_atlas",
    "get_optional_user",
    "get_session",
    "get_settings_dep",
    "market_index",
]


def get_session(request: Request) -> Iterator[Session]:
    """A database session for one request; rolled back unless the route committed."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def get_settings_dep(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def get_atlas(request: Request) -> Atlas:
    """The app's industrial atlas (loaded once at start-up)."""
    atlas: Atlas = request.app.state.atlas
    return atlas


def market_index(request: Request) -> market.MarketIndex:
    """The app's matching index, opened at start-up (see :func:`jingjinji.web.app.start_app`)."""
    index: market.MarketIndex = request.app.state.market_index
    return index


async def _market_index_dep(request: Request) -> market.MarketIndex:
    return market_index(request)


async def _auth_dep(request: Request) -> AuthState:
    return auth_state(request)


async def get_optional_user(request: Request) -> User | None:
    """The signed-in caller, or ``None`` for anonymous requests."""
    return auth_state(request).user


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
AtlasDep = Annotated[Atlas, Depends(get_atlas)]
MarketIndexDep = Annotated[market.MarketIndex, Depends(_market_index_dep)]
AuthDep = Annotated[AuthState, Depends(_auth_dep)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
