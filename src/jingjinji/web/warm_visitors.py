"""Visitors' answers of the newest listings, rendered before a worker says it is ready.

The start-up warm-up (see :mod:`jingjinji.web.app`) computes the matches of the newest
listings; this renders, once those are ready, what a visitor who is not signed in gets for
their pages and match lists, through the whole application as a visitor's request would go,
so that the :class:`~jingjinji.web.visitor_cache.VisitorCache` of this worker holds them:
the first visitors of a freshly started server do not all compute the same pages at once.
Listings older than these are rendered on their first visit, as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from starlette.types import ASGIApp, Message

from jingjinji.web.visitor_cache import empty_body

__all__ = ["listing_paths", "visit_as_visitor", "warm_visitor_answers"]

log = logging.getLogger(__name__)


def listing_paths(keys: Iterable[int]) -> list[str]:
    """The addresses a visitor reads of each listing: its page and its match list."""
    return [
        path for key in keys for path in (f"/market/listings/{key}", f"/api/listings/{key}/matches")
    ]


async def visit_as_visitor(app: ASGIApp, path: str) -> int:
    """``GET path`` through ``app`` as a visitor who is not signed in (a fresh visitor from
    the loopback address); the answer is discarded. Returns its status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    status = 0

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])

    await app(scope, empty_body(), send)
    return status


async def warm_visitor_answers(app: ASGIApp, paths: list[str]) -> int:
    """Render ``paths`` one after the other as a visitor; returns how many answered 200."""
    started = time.perf_counter()
    ok = 0
    for path in paths:
        ok += await visit_as_visitor(app, path) == 200
    log.info(
        "visitors' answers rendered in %.1f s (%d of %d addresses)",
        time.perf_counter() - started,
        ok,
        len(paths),
    )
    return ok
