"""Stored times (UTC; naive ones are UTC too) as Beijing time, the time zone of every user."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

__all__ = ["BEIJING", "in_beijing"]

BEIJING = ZoneInfo("Asia/Shanghai")


def in_beijing(moment: datetime) -> datetime:
    """``moment`` in Beijing time.

    >>> in_beijing(datetime(2026, 12, 1, 13, 0)).strftime("%Y-%m-%d %H:%M")
    '2026-12-01 21:00'
    """
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(BEIJING)
