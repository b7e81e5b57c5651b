"""What the loop's data access shares: the refusal it raises, deal stages, place tests."""

from __future__ import annotations

from datetime import date, datetime

from jingjinji.atlas import Atlas
from jingjinji.chains.places import PlaceScope
from jingjinji.loop import (
    landing_county,
)

__all__ = ["DEAL_STAGES", "LoopError", "in_scope", "year_of"]

#: Match stages that count as a deal (成交).
DEAL_STAGES = ("签约", "落地")


class LoopError(ValueError):
    """A refused loop operation: HTTP status, field, English and Chinese message."""

    def __init__(self, status: int, field: str, message: str, message_zh: str) -> None:
        super().__init__(f"{field}: {message}")
        self.status, self.field, self.message_zh = status, field, message_zh


def in_scope(atlas: Atlas, adcode: str | None, scope: PlaceScope) -> bool:
    """Whether ``adcode`` lies in ``scope``: in the region, or in one of its counties (a
    place below county level by the county it lies in)."""
    if not adcode:
        return False
    if scope.level == "region":
        return adcode[:2] in ("11", "12", "13")
    county = landing_county(atlas, adcode)
    return county is not None and county in scope.counties


def year_of(value: date | datetime | None) -> int | None:
    """The calendar year of a date or timestamp, ``None`` for ``None``."""
    return value.year if value is not None else None
