"""Visitors' answers kept for a few seconds: what a visitor who is not signed in gets for a
``GET`` of a page or of the API is the same for every visitor, so one answer computed at most
``JJJ_PUBLIC_REFRESH_SECONDS`` ago serves them all (micro-caching, as a reverse proxy in
front of a public portal does). Signed-in users, and callers with an API token, are never
served from it: whoever changes data sees the change at once.

A page carries the visitor's CSRF token (the double-submit token of the sign-in form); a kept
page is handed to the next visitor with that visitor's own token in its place. When an answer
is due, the visitor asking gets it once more while it is computed anew in the background, so
no visitor waits for a refresh; only the first request for an address (a cold start) computes
in the open, and other visitors asking meanwhile wait for it. Kept: answers
200 to anonymous ``GET`` requests, HTML or JSON, up to 2 MB, that set no cookie and are not
marked ``no-store`` or ``private``; never downloads, sign-in, account or administration pages.

An answer the app marks with :func:`keep_for_visitors` is kept that many seconds instead of
the setting: a listing's page and its match list follow the matches' own refresh window.
Kept answers are dropped before they are due when :class:`Invalidations` says so (from any
thread: the matching index's catch-up does when a listing others show changed).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["Invalidations", "VisitorCache", "empty_body", "keep_for_visitors"]

#: Paths never kept: sign-in and accounts, administration, downloads and exports, liveness.
_NEVER = (
    "/login",
    "/logout",
    "/password",
    "/account",
    "/admin",
    "/workspace",
    "/healthz",
    "/readyz",
    "/static/",
    "/docs",
    "/openapi",
    "/api/auth",
    "/api/account",
    "/api/admin",
    "/api/exports",
    "/api/templates",
)
_KEPT_TYPES = (b"text/html", b"application/json")
_MAX_BODY = 2_000_000
#: An answer due for this many times the setting is computed by the visitor asking when the
#: background refreshes (``refreshes`` at a time) are all busy.
_OVERDUE = 3
#: How long the app asks for a visitor's answer to be kept (see :func:`keep_for_visitors`);
#: the cache takes the header out: it is not for browsers or proxies (the page carries the
#: visitor's own CSRF token, which only this cache replaces for the next visitor).
_KEEP_HEADER = b"x-jjj-visitor-keep"


class Invalidations:
    """Which kept answers to drop, told from any thread: :meth:`drop` queues a test of the
    path, and the cache applies the queued tests before it serves its next request."""

    def __init__(self) -> None:
        self._pending: deque[Callable[[str], bool]] = deque()

    def drop(self, paths: Callable[[str], bool]) -> None:
        """Drop every kept answer whose path ``paths(path)`` is true."""
        if len(self._pending) >= 256:  # no visitor asked for a long while: drop everything
            self._pending.clear()
            self._pending.append(_every_path)
        self._pending.append(paths)

    def take(self) -> list[Callable[[str], bool]]:
        """The tests queued since the last call (thread-safe: ``deque`` pops are atomic)."""
        taken: list[Callable[[str], bool]] = []
        while self._pending:
            taken.append(self._pending.popleft())
        return taken


def _every_path(path: str) -> bool:
    return True


def empty_body() -> Receive:
    """The ``receive`` of a request made by the server itself: an empty body, then a
    disconnect."""
    asked = False

    async def receive() -> Message:
        nonlocal asked
        if asked:
            return {"type": "http.disconnect"}
        asked = True
        return {"type": "http.request", "body": b"", "more_body": False}

    return receive


def keep_for_visitors(request: Request, response: Response, seconds: float) -> None:
    """Ask for a visitor's answer to be kept ``seconds`` instead of the setting when the
    caller is a visitor who is not signed in (answers to users are left unmarked): a header
    the visitor cache takes out of the answer."""
    auth = getattr(request.state, "auth", None)
    if auth is not None and auth.user is None and auth.via is None and seconds >= 1:
        response.headers[_KEEP_HEADER.decode()] = str(int(seconds))


@dataclass(frozen=True)
class _Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    token: bytes
    at: float
    #: how long it is kept (s): the setting, or what the app asked for
    seconds: float
    #: when (s after ``at``) it falls due: between half and all of ``seconds``, spread by
    #: the address, so that answers computed together do not all fall due together
    due: float


class VisitorCache:
    """Pure ASGI middleware (inside :class:`~jingjinji.web.security.AuthMiddleware`, which
    tells who the caller is) keeping visitors' answers for the app's
    ``settings.public_refresh_seconds``, or the time the app asked for (each falls due
    between half and all of it, spread by address); 0 turns it off. At most ``size`` answers and
    ``max_bytes`` bytes, the least recently used dropped; at most ``refreshes`` computed in
    the background at a time (a due answer waits its turn, served meanwhile, up to three
    times its keeping time). ``served`` counts answers served from it."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        size: int = 2048,
        max_bytes: int = 64_000_000,
        refreshes: int = 2,
        invalidations: Invalidations | None = None,
    ) -> None:
        self.app = app
        self.invalidations = invalidations or Invalidations()
        self.refreshes = refreshes
        self.size = size
        self.max_bytes = max_bytes
        self.served = 0
        self._answers: OrderedDict[tuple[str, bytes], _Answer] = OrderedDict()
        self._refreshing: set[tuple[str, bytes]] = set()
        self._first: dict[tuple[str, bytes], asyncio.Event] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._bytes = 0
        #: the invalidations applied, numbered: an answer computed across one that drops
        #: its path is not kept
        self._generation = 0
        self._dropped: deque[tuple[int, Callable[[str], bool]]] = deque(maxlen=64)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        seconds = _seconds(scope)
        auth = scope.get("state", {}).get("auth")
        if (
            seconds <= 0
            or scope["type"] != "http"
            or scope["method"] != "GET"
            or auth is None
            or auth.user is not None
            or auth.via is not None
            or scope["path"].startswith(_NEVER)
        ):
            await self.app(scope, receive, send)
            return
        self._invalidate()
        key = (scope["path"], scope.get("query_string", b""))
        token = auth.csrf_token.encode()
        kept = self._answers.get(key)
        if kept is not None:
            age = time.monotonic() - kept.at
            if age >= kept.due and key not in self._refreshing:
                if len(self._refreshing) < self.refreshes:
                    # due: computed anew in the background while this visitor, and every
                    # other until it is done, gets the answer kept; no visitor waits for it
                    self._refreshing.add(key)
                    task = asyncio.get_running_loop().create_task(self._refresh(scope, key, token))
                    self._tasks.add(task)
                    task.add_done_callback(self._tasks.discard)
                elif age >= _OVERDUE * kept.seconds:
                    # the background is busy and this answer is long due: compute it here
                    kept = None
            if kept is not None:
                self._answers.move_to_end(key)
                self.served += 1
                await _replay(kept, token, send)
                return
        if key in self._first:
            # a cold start: another visitor's request computes it; wait for that one
            await self._first[key].wait()
            if (kept := self._answers.get(key)) is not None:
                self.served += 1
                await _replay(kept, token, send)
                return
        first = self._first.setdefault(key, asyncio.Event())
        try:
            await self._answer(scope, receive, send, key, token)
        finally:
            if self._first.get(key) is first:
                del self._first[key]
                first.set()

    async def _refresh(self, scope: Scope, key: tuple[str, bytes], token: bytes) -> None:
        """Compute the answer of ``key`` anew for no one in particular (a copy of the due
        request, its answer kept and not sent)."""

        async def discard(message: Message) -> None:
            return None

        request = {**scope, "state": dict(scope.get("state", {}))}
        try:
            await self._answer(request, empty_body(), discard, key, token)
        except Exception:  # the next visitor asking tries again; the error is the app's to log
            self._drop(key)
        finally:
            self._refreshing.discard(key)

    async def settled(self) -> None:
        """Wait for the refreshes under way (for tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _answer(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, bytes], token: bytes
    ) -> None:
        start: Message = {}
        chunks: list[bytes] = []
        size = 0
        kept = False
        generation = self._generation

        seconds = _seconds(scope)

        async def capture(message: Message) -> None:
            nonlocal start, size, kept, seconds
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if any(name == _KEEP_HEADER for name, _value in headers):
                    seconds = _keep_seconds(headers, seconds)
                    headers = [(name, value) for name, value in headers if name != _KEEP_HEADER]
                    message = {**message, "headers": headers}  # the header is ours alone
                # a copy: the middleware outside adds its headers (the new visitor's cookie)
                # to this very message
                start = {**message, "headers": list(headers)}
            elif message["type"] == "http.response.body" and size <= _MAX_BODY:
                body = message.get("body", b"")
                chunks.append(body)
                size += len(body)
                if (
                    not message.get("more_body", False)
                    and _keepable(start, size)
                    and not self._dropped_since(generation, key[0])
                ):
                    self._keep(key, start, b"".join(chunks), token, seconds)
                    kept = True
            await send(message)

        await self.app(scope, receive, capture)
        if not kept:  # e.g. the listing left publication: its old page is not served again
            self._drop(key)

    def _drop(self, key: tuple[str, bytes]) -> None:
        old = self._answers.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)

    def _invalidate(self) -> None:
        for paths in self.invalidations.take():
            self._generation += 1
            self._dropped.append((self._generation, paths))
            for key in [key for key in self._answers if paths(key[0])]:
                self._drop(key)

    def _dropped_since(self, generation: int, path: str) -> bool:
        """Whether an invalidation applied after ``generation`` drops ``path`` (or may have:
        older ones than those remembered count as dropping it)."""
        if generation == self._generation:
            return False
        if not self._dropped or self._dropped[0][0] > generation + 1:
            return True
        return any(paths(path) for number, paths in self._dropped if number > generation)

    def _keep(
        self, key: tuple[str, bytes], start: Message, body: bytes, token: bytes, seconds: float
    ) -> None:
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        self._drop(key)
        at = time.monotonic()
        due = seconds * (1.0 - 0.5 * (hash(key) & 0xFFFF) / 0xFFFF)
        self._answers[key] = _Answer(start["status"], headers, body, token, at, seconds, due)
        self._bytes += len(body)
        while self._answers and (len(self._answers) > self.size or self._bytes > self.max_bytes):
            _key, dropped = self._answers.popitem(last=False)
            self._bytes -= len(dropped.body)

    def clear(self) -> None:
        """Forget every kept answer."""
        self._answers.clear()
        self._bytes = 0


def _seconds(scope: Scope) -> float:
    app = scope.get("app")
    settings = getattr(getattr(app, "state", None), "settings", None)
    return float(getattr(settings, "public_refresh_seconds", 0.0) or 0.0)


def _keep_seconds(headers: list[tuple[bytes, bytes]], default: float) -> float:
    """The seconds the app asked an answer to be kept (at most an hour), else ``default``."""
    for name, value in headers:
        if name == _KEEP_HEADER and value.isdigit():
            return min(float(value), 3600.0)
    return default


def _keepable(start: Message, size: int) -> bool:
    if not start or start.get("status") != 200 or size > _MAX_BODY:
        return False
    content_type = b""
    for name, value in start.get("headers", []):
        lowered = name.lower()
        if lowered == b"set-cookie":
            return False
        if lowered == b"cache-control" and (b"no-store" in value or b"private" in value):
            return False
        if lowered == b"content-type":
            content_type = value
    return content_type.startswith(_KEPT_TYPES)


async def _replay(kept: _Answer, token: bytes, send: Send) -> None:
    # The page of another visitor carried that visitor's token: this one gets its own.
    body = kept.body.replace(kept.token, token) if kept.token != token else kept.body
    headers = [*kept.headers, (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": kept.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
