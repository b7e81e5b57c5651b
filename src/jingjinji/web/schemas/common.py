"""Types shared by the API schemas."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Self

from fastapi import Path
from pydantic import BaseModel, Field

__all__ = ["MAX_DB_ID", "DbId", "DbIdPath", "ReadFromRow", "nul_fields", "nul_pairs"]

#: The largest row id every supported database stores in an INTEGER column (PostgreSQL int4).
MAX_DB_ID = 2**31 - 1

#: A row id in a request body.
DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]

#: A row id in a URL path.
DbIdPath = Annotated[int, Path(ge=1, le=MAX_DB_ID)]


class ReadFromRow(BaseModel):
    """A response schema read from the attributes of a row or record of the same field names."""

    @classmethod
    def of(cls, row: Any) -> Self:
        """The schema of ``row``, field by field."""
        return cls.model_validate(row, from_attributes=True)


#: The character PostgreSQL cannot store in text; refused in every request string.
NUL = "\x00"
_SHOWN_NUL = "\\0"


def nul_fields(value: Any, location: str) -> list[str]:
    """The fields of ``value`` (parsed JSON) holding a string with a NUL character, in
    order, as ``location.key.0`` paths like those of validation errors (a key holding one
    counts too, shown with ``\\0``)."""
    if isinstance(value, str):
        return [location] if NUL in value else []
    found: list[str] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            name = f"{location}.{key}"
            if NUL in name:
                found.append(name.replace(NUL, _SHOWN_NUL))
            else:
                found.extend(nul_fields(inner, name))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found.extend(nul_fields(inner, f"{location}.{i}"))
    return found


def nul_pairs(pairs: Iterable[tuple[str, str]], location: str) -> list[str]:
    """The names of the ``(name, value)`` pairs of a query string or form holding a NUL
    character (in the name or the value), as ``location.name``."""
    return [
        f"{location}.{name}".replace(NUL, _SHOWN_NUL)
        for name, value in pairs
        if NUL in name or NUL in value
    ]
