"""Visitors' answers of the front pages and the newest listings, rendered before a worker
says it is ready.

The start-up warm-up (see :mod:`jingjinji.web.app`) computes the figures the first pages
share, each industry's coverage and the matches of the newest listings; this renders, once
those are ready, what a visitor who is not signed in gets for the front pages, the chain
views and those listings' pages and match lists, through the whole application as a
visitor's request would go, so that this worker's
:class:`~jingjinji.web.visitor_cache.VisitorCache` holds them: the first visitors of a
freshly started server do not all compute the same pages at once. Other addresses are
rendered on their first visit.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from starlette.types import ASGIApp, Message

from jingjinji.web.visitor_cache import empty_body

__all__ = [
    "FRONT_PATHS",
    "listing_paths",
    "visit_as_visitor",
    "visitor_paths",
    "warm_visitor_answers",
]

log = logging.getLogger(__name__)


#: The pages and summaries every visitor opens first.
FRONT_PATHS = (
    "/",
    "/market",
    "/chains",
    "/projects",
    "/policies",
    "/loop",
    "/api/projects/stats",
    "/api/projects/flows",
    "/api/loop",
    "/api/market/statistics",
)


def listing_paths(keys: Iterable[int]) -> list[str]:
    """The addresses a visitor reads of each listing: its page and its match list."""
    return [
        path for key in keys for path in (f"/market/listings/{key}", f"/api/listings/{key}/matches")
    ]


def visitor_paths(
    industries: Iterable[str], places: Iterable[str], keys: Iterable[int]
) -> list[str]:
    """What the warm-up renders: the front pages, each industry's chain page and its coverage
    and suggestions in each of ``places``, and the pages and match lists of listings ``keys``."""
    chains: list[str] = []
    places = list(places)
    for slug in industries:
        chains.append(f"/chains/{slug}")
        for place in places:
            chains.append(f"/api/industries/{slug}/coverage?place={place}")
            chains.append(f"/api/industries/{slug}/suggestions?place={place}")
    return [*FRONT_PATHS, *chains, *listing_paths(keys)]


async def visit_as_visitor(app: ASGIApp, address: str) -> int:
    """``GET address`` (a path with its query, if any) through ``app`` as a visitor who is
    not signed in (a fresh visitor from the loopback address); the answer is discarded.
    Returns its status."""
    path, _, query = address.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
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
