"""Dependency aliases for routes: SessionDep, SettingsDep, AtlasDep, OptionalUser, …"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.settings import Settings
from jingjinji.store.models import User
from jingjinji.web.security import AuthState, auth_state

__all__ = ["AtlasDep", "AuthDep", "OptionalUser", "SessionDep", "SettingsDep"]


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


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_atlas(request: Request) -> Atlas:
    atlas: Atlas = request.app.state.atlas
    return atlas


def get_optional_user(request: Request) -> User | None:
    return auth_state(request).user


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
AtlasDep = Annotated[Atlas, Depends(get_atlas)]
AuthDep = Annotated[AuthState, Depends(auth_state)]
OptionalUser = Annotated[User | None, Depends(get_optional_user)]
