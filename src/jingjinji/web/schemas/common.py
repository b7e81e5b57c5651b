"""Types shared by the API schemas."""

from __future__ import annotations

from typing import Annotated, Any, Self

from fastapi import Path
from pydantic import BaseModel, Field

__all__ = ["MAX_DB_ID", "DbId", "DbIdPath", "ReadFromRow"]

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
