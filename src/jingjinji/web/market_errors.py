"""Refused market operations as HTTP errors, for API and page routers alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from jingjinji.market import MarketError, MarketNotFound
from jingjinji.web.errors import ApiError

__all__ = ["market_api_error", "market_errors"]


def market_api_error(exc: MarketError) -> ApiError:
    """The error shown for ``exc``: its status and Chinese message; the refused field as
    ``body.<field>`` except for a :class:`MarketNotFound`, which names none."""
    if isinstance(exc, MarketNotFound):
        return ApiError(exc.status, exc.message_zh)
    fields = [{"field": f"body.{exc.field}", "message": str(exc)}]
    return ApiError(exc.status, exc.message_zh, fields=fields)


@contextmanager
def market_errors() -> Iterator[None]:
    """Raise a :class:`MarketError` from the block as :func:`market_api_error`."""
    try:
        yield
    except MarketError as exc:
        raise market_api_error(exc) from exc
