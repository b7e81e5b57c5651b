"""Who is calling: resolves the session cookie or API token once per request, and CSRF.

A browser signs in with the ``jjj_session`` cookie (HttpOnly, SameSite=Lax, Secure over HTTPS);
scripts send ``Authorization: Bearer jjj_…``. Unsafe requests authenticated by cookie must carry
the session's CSRF token in the ``X-CSRF-Token`` header or a ``csrf_token`` form field.
Anonymous form posts (sign-in) use the double-submit cookie ``jjj_csrf``.

The caller's address (:func:`client_ip`) is the peer's, unless the peer is a reverse proxy
listed in ``JJJ_TRUSTED_PROXIES``: then ``X-Forwarded-For`` is read from the right.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fastapi import Depends, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jingjinji.auth import Policy, resolve_api_token, resolve_session
from jingjinji.auth.tokens import new_token
from jingjinji.store import stale_reads
from jingjinji.store.models import User
from jingjinji.web.errors import ApiError

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "AuthMiddleware",
    "AuthState",
    "check_csrf",
    "client_ip",
    "policy_of",
    "requires",
]

log = logging.getLogger(__name__)

SESSION_COOKIE = "jjj_session"
CSRF_COOKIE = "jjj_csrf"
#: When a signed-in browser last changed data (seconds since the epoch), set by every
#: successful write: summary figures computed before it are not served to that browser.
WROTE_COOKIE = "jjj_wrote"
#: How long the write cookie lives (s): longer than summaries are ever kept.
WROTE_SECONDS = 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class AuthState:
    """The caller of one request: ``via`` is ``session``, ``token``, ``bad_token`` or ``None``;
    ``session_id`` is the login session's row id when ``via`` is ``session``."""

    user: User | None
    via: str | None
    csrf_token: str
    set_csrf_cookie: bool = False
    session_id: int | None = None


_Address = ipaddress.IPv4Address | ipaddress.IPv6Address
_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> _Address | None:
    """``text`` as an IP address (IPv4-mapped IPv6 as IPv4; a port after an IPv4 address or a
    bracketed IPv6 one is dropped); ``None`` when it is none."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_Network, ...]:
    """The trusted proxies as networks (an address is a network of one)."""
    networks: list[_Network] = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            log.warning("ignoring JJJ_TRUSTED_PROXIES entry %r: not an address or network", entry)
    return tuple(networks)


def _trusted(address: _Address | None, networks: Iterable[_Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_ip(request: Request) -> str:
    """The caller's address, for rate limits and the session list.

    The peer's address, unless the peer is a trusted proxy (``JJJ_TRUSTED_PROXIES``): then
    the right-most ``X-Forwarded-For`` address that is not itself a trusted proxy (what the
    last proxy of the chain saw; addresses further left were written by the client and may
    be made up). When every listed address is a trusted proxy, the left-most one.
    """
    peer = request.client.host if request.client else "unknown"
    networks = _networks(tuple(request.app.state.settings.trusted_proxies))
    if not networks or not _trusted(_address(peer), networks):
        return peer
    hops = [
        hop.strip()
        for line in request.headers.getlist("x-forwarded-for")
        for hop in line.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            log.warning("unreadable X-Forwarded-For entry from proxy %s: %r", peer, hop[:80])
            return peer
        if not _trusted(address, networks):
            return str(address)
    first = _address(hops[0]) if hops else None
    return str(first) if first is not None else peer


def _save_last_seen(db: Session) -> None:
    """Commit a session's new ``last_seen_at``; best effort, a busy database only skips it."""
    try:
        db.commit()
    except SQLAlchemyError:
        log.warning("could not record when a session was last seen", exc_info=True)
        db.rollback()


def _resolve(request: Request) -> AuthState:
    factory = request.app.state.session_factory
    header = request.headers.get("authorization", "")
    with factory() as db:
        if header.lower().startswith("bearer "):
            user = resolve_api_token(db, header[7:].strip())
            db.commit()
            return AuthState(user, "token" if user else "bad_token", "")
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            row = resolve_session(db, cookie)
            if row is not None:
                if db.dirty:  # last_seen_at moved on (at most once a minute)
                    _save_last_seen(db)
                return AuthState(row.user, "session", row.csrf_token, session_id=row.id)
    return _anonymous(request)


def _anonymous(request: Request) -> AuthState:
    """A caller without a (valid) session: the CSRF token of its cookie, or a new one."""
    csrf = request.cookies.get(CSRF_COOKIE, "")
    if len(csrf) < 20:
        return AuthState(None, None, new_token(), set_csrf_cookie=True)
    return AuthState(None, None, csrf)


class AuthMiddleware:
    """Resolve the caller into ``request.state.auth`` (static files skipped), and give a new
    visitor the double-submit CSRF cookie. Pure ASGI: only a request that brings a session
    cookie or an API token reads the database (in the thread pool); an anonymous one is
    resolved on the event loop without a database round trip."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refresh = scope["app"].state.settings.public_refresh_seconds
        if request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE):
            state = await run_in_threadpool(_resolve, request)
        else:
            state = _anonymous(request)
        if state.via is None:
            # A visitor may get summary figures a few seconds old (computed once for all of
            # them while writes go on) ...
            stale_reads(refresh)
        elif state.via == "session":
            # ... so may a signed-in user, except that figures computed before their own
            # last change are never served to them: they read their own writes at once.
            stale_reads(refresh, wrote_at=_wrote_at(request))
        scope.setdefault("state", {})["auth"] = state
        extra: list[tuple[bytes, bytes]] = []
        if state.set_csrf_cookie:
            extra += _cookie(request, CSRF_COOKIE, state.csrf_token)
        writes = state.via == "session" and request.method not in SAFE_METHODS
        if not extra and not writes:
            await self.app(scope, receive, send)
            return

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookies = extra
                if writes and message.get("status", 500) < 400:
                    wrote = _cookie(request, WROTE_COOKIE, f"{time.time():.3f}", WROTE_SECONDS)
                    cookies = [*extra, *wrote]
                message["headers"] = [*message.get("headers", []), *cookies]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _cookie(
    request: Request, name: str, value: str, max_age: int | None = None
) -> list[tuple[bytes, bytes]]:
    """The ``Set-Cookie`` header of an HttpOnly, SameSite=Lax cookie (for the browser
    session unless ``max_age`` seconds are given)."""
    response = Response()
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
    )
    return [(k, v) for k, v in response.raw_headers if k == b"set-cookie"]


def _wrote_at(request: Request) -> float:
    """When (``time.time()``) this browser last changed data, from the cookie a successful
    write sets (0 without one; a time in the future is honoured: it only makes the caller's
    summaries current)."""
    try:
        moment = float(request.cookies.get(WROTE_COOKIE, "0"))
    except ValueError:
        return 0.0
    return moment if math.isfinite(moment) else 0.0


def secure_cookies(request: Request) -> bool:
    """Cookies are Secure when configured so, or by default when served over HTTPS."""
    configured = request.app.state.settings.secure_cookies
    return bool(configured) if configured is not None else request.url.scheme == "https"


async def check_csrf(request: Request, state: AuthState) -> None:
    """Refuse an unsafe cookie-authenticated or form request without the right CSRF token."""
    if request.method in SAFE_METHODS or state.via in ("token", "bad_token"):
        return
    content_type = request.headers.get("content-type", "")
    is_form = content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
    if state.via != "session" and not is_form:
        return  # anonymous JSON call: no ambient credential to abuse
    sent = request.headers.get("x-csrf-token", "")
    if not sent and is_form:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else ""
    if not sent or not hmac.compare_digest(sent, state.csrf_token):
        raise ApiError(403, "页面已过期或请求来源无效，请刷新页面后重试", code="csrf_failed")


def auth_state(request: Request) -> AuthState:
    """The caller resolved by :func:`auth_middleware`."""
    state = getattr(request.state, "auth", None)
    if state is None:  # pragma: no cover - the middleware always runs before routes
        raise RuntimeError("auth_middleware is not installed")
    return state


def requires(policy: Policy) -> Any:
    """A dependency that admits callers allowed by ``policy`` and returns the user.

    Use it on every write endpoint: ``user: Annotated[User | None, requires(EDITOR)]`` or
    ``dependencies=[requires(ADMIN)]``. The permission-matrix test finds it by
    :func:`policy_of`.
    """

    async def dependency(request: Request) -> User | None:
        state = auth_state(request)
        if state.via == "bad_token":
            raise ApiError(401, "API 令牌无效或已撤销", code="invalid_token")
        if not policy.admits(state.user):
            raise ApiError(401) if state.user is None else ApiError(403)
        await check_csrf(request, state)
        return state.user

    dependency.__jjj_policy__ = policy  # type: ignore[attr-defined]
    return Depends(dependency)


def policy_of(call: object) -> Policy | None:
    """The policy a dependency callable was made for by :func:`requires`, else ``None``."""
    policy = getattr(call, "__jjj_policy__", None)
    return policy if isinstance(policy, Policy) else None
