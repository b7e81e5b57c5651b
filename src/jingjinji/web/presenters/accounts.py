"""Users, organizations and API tokens as response schemas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from pydantic import BaseModel

from jingjinji.store.models import ApiToken
from jingjinji.web.schemas.accounts import TokenCreated, TokenPublic

__all__ = ["listed", "token_created"]


Listed = TypeVar("Listed", bound=BaseModel)


def listed(schema: type[Listed], item: type[BaseModel], rows: Iterable[object]) -> Listed:
    """``rows`` as the list response ``schema`` (``data`` and ``count``) of ``item``s."""
    data = [item.model_validate(row) for row in rows]
    return schema(data=data, count=len(data))


def token_created(token: str, row: ApiToken) -> TokenCreated:
    """A new API token: the token itself, shown this once, with its stored details."""
    return TokenCreated(token=token, **TokenPublic.model_validate(row).model_dump())
