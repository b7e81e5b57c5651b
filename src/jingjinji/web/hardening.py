"""Security headers on every response: pages, API, static files and errors.

The Content-Security-Policy admits scripts from our own origin only (no inline script, no
``eval``): every page loads its code from ``/static/js`` and passes data in
``<script type="application/json">`` blocks, which are never executed. Inline styles stay
allowed (templates and ECharts set ``style`` attributes); images may be ``data:``/``blob:``
(chart downloads, Swagger UI icons). Framing is refused twice over (``frame-ancestors`` and
``X-Frame-Options``) for browsers that know only one of them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "SECURITY_HEADERS",
    "SecurityHeadersMiddleware",
    "install_security_headers",
]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data: blob:",
        "style-src 'self' 'unsafe-inline'",
    ]
)

#: Header → value added to every response that does not set the header itself.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _add_headers(headers: MutableHeaders) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)


class SecurityHeadersMiddleware:
    """Add :data:`SECURITY_HEADERS` to the start of every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add_headers(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_headers(handler: Callable[..., Any]) -> Callable[[Request, Exception], Any]:
    """``handler`` (async, or sync run in the thread pool as Starlette would) whose response
    gets the security headers."""

    async def handle(request: Request, exc: Exception) -> Response:
        if inspect.iscoroutinefunction(handler):
            response: Response = await handler(request, exc)
        else:
            response = await run_in_threadpool(handler, request, exc)
        _add_headers(response.headers)
        return response

    return handle


def install_security_headers(app: FastAPI) -> None:
    """Add :class:`SecurityHeadersMiddleware` as the outermost of the app's middleware, and
    give the 500 handler's responses the headers too: Starlette sends those from
    ``ServerErrorMiddleware``, outside every user middleware. Call it after the error
    handlers are installed."""
    app.add_middleware(SecurityHeadersMiddleware)
    for key in (Exception, 500):
        handler = app.exception_handlers.get(key)
        if handler is not None:
            app.exception_handlers[key] = _with_headers(handler)
