"""Users, organizations, login sessions and API tokens as response schemas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel

from jingjinji.auth import describe_user_agent
from jingjinji.auth.accounts import aware
from jingjinji.store.models import ApiToken, AuthSession
from jingjinji.web.schemas.accounts import SessionPublic, TokenCreated, TokenPublic

__all__ = ["listed", "session_public", "token_created"]


Listed = TypeVar("Listed", bound=BaseModel)


def listed(schema: type[Listed], item: type[BaseModel], rows: Iterable[object]) -> Listed:
    """``rows`` as the list response ``schema`` (``data`` and ``count``) of ``item``s."""
    data = [item.model_validate(row) for row in rows]
    return schema(data=data, count=len(data))


def token_created(token: str, row: ApiToken) -> TokenCreated:
    """A new API token: the token itself, shown this once, with its stored details."""
    return TokenCreated(token=token, **TokenPublic.model_validate(row).model_dump())


def session_public(row: AuthSession, *, current: bool) -> SessionPublic:
    """A login session with the browser read from its user agent; ``current``: the caller's."""
    return SessionPublic(
        id=row.id,
        created_at=aware(row.created_at),
        last_seen_at=aware(row.last_seen_at) if row.last_seen_at else None,
        expires_at=aware(row.expires_at),
        ip=row.ip,
        user_agent=row.user_agent,
        browser=describe_user_agent(row.user_agent),
        current=current,
    )
