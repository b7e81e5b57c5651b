"""Upload limits: a request body larger than ``JJJ_MAX_UPLOAD_MB`` is refused with 413.

:class:`UploadLimitMiddleware` (pure ASGI) refuses a declared ``Content-Length`` past the limit
before anything is read, and counts the body while it streams (chunked or not): as soon as the
running total passes the limit the route gets :class:`RequestTooLarge` from ``receive`` and
the client a 413, without the rest being read into memory.

Register it inside the other middlewares (a ``BaseHTTPMiddleware`` outside it would read the
body in a task group and wrap the refusal in an ``ExceptionGroup``, answered with 400). A
refusal that escapes the app's handlers (a middleware inside this one reading the body) is
answered here, as the JSON 413.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from fastapi import Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jingjinji.store.tabular import TableError
from jingjinji.web.errors import ApiError

__all__ = [
    "RequestTooLarge",
    "UploadLimitMiddleware",
    "read_upload",
    "rows_error",
    "run_import",
    "table_error",
    "too_large_message",
    "upload_name",
]

log = logging.getLogger(__name__)


def too_large_message(limit_mb: float) -> str:
    """The Chinese refusal of a body past the limit."""
    return f"请求内容超过上传上限 {limit_mb:g} MB"


class RequestTooLarge(HTTPException):
    """Raised by the wrapped ``receive`` once the body passes the limit; the app's error
    handlers turn it into the usual 413 (JSON under ``/api``, a page elsewhere)."""

    def __init__(self, limit_mb: float) -> None:
        super().__init__(status_code=413, detail=too_large_message(limit_mb))


def _refusal(limit_mb: float) -> JSONResponse:
    body = {"error": {"code": "too_large", "message": too_large_message(limit_mb)}}
    return JSONResponse(body, status_code=413)


def _from_limit(exc: BaseException) -> bool:
    """Whether ``exc`` is (or only groups, or was raised from) :class:`RequestTooLarge`."""
    if isinstance(exc, BaseExceptionGroup):
        return all(_from_limit(inner) for inner in exc.exceptions)
    return isinstance(exc, RequestTooLarge) or isinstance(exc.__cause__, RequestTooLarge)


class _BodyCounter:
    """``receive`` and ``send`` of one request: the body counted, the response watched."""

    def __init__(self, receive: Receive, send: Send, *, limit: int, limit_mb: float) -> None:
        self._receive, self._send = receive, send
        self.limit, self.limit_mb = limit, limit_mb
        self.received = 0
        self.exceeded = False
        self.started = False

    async def receive(self) -> Message:
        if self.exceeded:
            raise RequestTooLarge(self.limit_mb)
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                log.info(
                    "request body passed the upload limit (%g MB) after %d bytes; refused",
                    self.limit_mb,
                    self.received,
                )
                raise RequestTooLarge(self.limit_mb)
        return message

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.started = True
        await self._send(message)


class UploadLimitMiddleware:
    """Hold every request body to ``settings.max_upload_mb`` (read from the app's state)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit_mb = float(scope["app"].state.settings.max_upload_mb)
        limit = int(limit_mb * 1024 * 1024)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            log.info("declared body of %s bytes is past the upload limit; refused", declared)
            await _refusal(limit_mb)(scope, receive, send)
            return
        counter = _BodyCounter(receive, send, limit=limit, limit_mb=limit_mb)
        try:
            await self.app(scope, counter.receive, counter.send)
        except Exception as exc:
            # The refusal escaped the app's handlers (read outside a route): answer it here.
            if counter.started or not counter.exceeded or not _from_limit(exc):
                raise
            await _refusal(limit_mb)(scope, receive, send)


async def read_upload(upload: UploadFile, request: Request) -> bytes:
    """The bytes of an uploaded file, refused with 413 past ``JJJ_MAX_UPLOAD_MB`` and with
    422 when empty (the middleware already holds the whole body to the limit)."""
    limit = int(request.app.state.settings.max_upload_mb * 1024 * 1024)
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            raise ApiError(413, too_large_message(request.app.state.settings.max_upload_mb))
        chunks.append(chunk)
    if size == 0:
        raise ApiError(422, f"上传的文件 {upload.filename or ''} 为空")
    return b"".join(chunks)


def table_error(error: TableError) -> ApiError:
    """A 422 whose message names the file, sheet, row and column in Chinese."""
    log.info("rejected upload: %s", error)
    return ApiError(
        422,
        error.message_zh,
        code="invalid_table",
        fields=[{"field": error.column or "file", "message": str(error)}],
    )


class _Located(Protocol):
    sheet: str
    row: int | None
    column: str | None
    message_zh: str


class _Report(Protocol):
    @property
    def ok(self) -> bool: ...

    @property
    def problems(self) -> Sequence[Any]: ...


Report = TypeVar("Report", bound=_Report)


def rows_error(problems: Sequence[_Located]) -> ApiError:
    """The 422 of an all-or-nothing import with bad rows: the count and the first in the
    message, every one (up to 500) as ``sheet!row!column`` in ``fields``."""
    first = problems[0]
    return ApiError(
        422,
        f"{len(problems)} 处错误，未导入任何数据；第一处：第 {first.row} 行 "
        f"“{first.column}”：{first.message_zh}",
        code="invalid_rows",
        fields=[
            {"field": f"{p.sheet or 'csv'}!{p.row}!{p.column}", "message": p.message_zh}
            for p in problems[:500]
        ],
    )


async def run_import(session: Session, call: Callable[[], Report]) -> Report:
    """Run an all-or-nothing import ``call`` in a worker thread (never on the event loop):
    commit when its report is ok, else roll back and answer :func:`rows_error`; an unreadable
    file is :func:`table_error`."""

    def work() -> Report:
        try:
            report = call()
        except TableError as error:
            session.rollback()
            raise table_error(error) from error
        if report.ok:
            session.commit()
        else:
            session.rollback()
        return report

    report = await run_in_threadpool(work)
    if not report.ok:
        raise rows_error(report.problems)
    return report


def upload_name(filename: str, default: str) -> str:
    """The last path component of an uploaded file's name (at most 200 characters), or
    ``default`` when nothing is left.

    >>> upload_name("C:\\\\Users\\\\me\\\\面板.csv", "panel"), upload_name("/", "panel")
    ('面板.csv', 'panel')
    """
    return filename.replace("\\", "/").rsplit("/", 1)[-1][:200] or default
