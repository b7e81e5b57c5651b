"""Errors: one JSON shape for ``/api/*``, Chinese HTML pages elsewhere.

JSON errors always look like ``{"error": {"code": "not_found", "message": "…"}}``; validation
errors add ``"fields"``: a list of ``{"field": "body.title", "message": "…"}``.

Besides the exception handlers, :func:`install_error_handlers` adds two inner middlewares:

- an unhandled exception in a route is logged with its traceback and answered with the JSON
  500 (or the error page) right there, so the connection stays open for the next request
  (Starlette's outermost ``ServerErrorMiddleware`` would re-raise it to the server, which then
  drops the keep-alive connection);
- a NUL character in the query string, the path, a JSON body or a URL-encoded form answers 422
  naming the field, on every database (PostgreSQL cannot store NUL in text; SQLite could).

A write the database refuses (``IntegrityError``, e.g. two simultaneous creates of the same
name) answers 409 with the Chinese meaning of the broken constraint
(:data:`CONSTRAINT_MESSAGES`), logged in English with the constraint's name; a busy or
deadlocked database answers 503.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import jingjinji.store.models  # noqa: F401  (registers every table's constraints)
from jingjinji.store.base import Base
from jingjinji.web.schemas.common import nul_fields, nul_pairs
from jingjinji.web.templating import render

__all__ = [
    "CONSTRAINT_MESSAGES",
    "ApiError",
    "constraint_name",
    "install_error_handlers",
    "integrity_api_error",
]

log = logging.getLogger(__name__)

_CODES = {
    400: ("bad_request", "请求有误"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "没有权限执行此操作"),
    404: ("not_found", "页面或资源不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "记录已被他人修改，请刷新后重试"),
    413: ("too_large", "上传内容过大"),
    415: ("unsupported_media_type", "不支持的文件类型"),
    422: ("validation_error", "输入有误"),
    429: ("too_many_requests", "尝试次数过多，请稍后再试"),
    500: ("server_error", "服务器内部错误"),
    503: ("busy", "系统繁忙，请稍后重试"),
}

#: The Chinese meaning of each unique constraint a create or change may run into.
CONSTRAINT_MESSAGES: dict[str, str] = {
    "uq_organizations_name": "机构名称已被使用",
    "uq_users_username": "用户名已被使用",
    "uq_place_groups_name": "地点组名称已被使用",
    "uq_follows_user_id": "已关注该对象",
    "uq_challenge_applications_challenge_id": "本机构已揭榜，每个机构限一份申请",
    "uq_projects_name": "已有同名且落地地相同的项目",
    "uq_projects_match_id": "该对接已登记为项目，不能重复登记",
    "uq_policies_number": "该文号已被另一条政策使用",
    "uq_enterprises_credit_code": "该统一社会信用代码已登记",
    "uq_patents_application_number": "该申请号的专利已导入（可能刚由他人导入），请重新导入以更新",
    "uq_matches_demand_id": "这两条供需信息已有对接记录",
    "uq_confidentiality_acceptances_listing_id": "本机构已接受该保密协议",
    "uq_gap_listings_listing_id": "该供需信息已关联产业链缺口",
}
_CONFLICT_MESSAGE = "与已有记录冲突（可能刚由他人提交），请刷新后重试"
_NUL_MESSAGE = "输入不能包含空字符（NUL），请检查标出的字段"
#: Bodies checked for NUL characters (multipart uploads are files: binary by nature).
_JSON_TYPES = ("application/json",)
_FORM_TYPE = "application/x-www-form-urlencoded"
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)")
#: PostgreSQL SQLSTATEs of a busy database: deadlock, serialization failure, lock timeout.
_BUSY_STATES = ("40P01", "40001", "55P03")


class ApiError(Exception):
    """An error with an HTTP status, a stable code and a Chinese message for the user."""

    def __init__(
        self,
        status_code: int,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: list[dict[str, str]] | None = None,
    ) -> None:
        default_code, default_message = _CODES.get(status_code, ("error", "出错了"))
        self.status_code = status_code
        self.code = code or default_code
        self.message = message or default_message
        self.fields = fields
        super().__init__(f"{status_code} {self.code}: {self.message}")


def _unique_named(table_name: str, columns: set[str]) -> str | None:
    """The name of the unique constraint or index of ``table_name`` over ``columns``."""
    table = Base.metadata.tables.get(table_name)
    if table is None:
        return None
    for constraint in table.constraints:
        if not isinstance(constraint, UniqueConstraint) or not constraint.name:
            continue
        if {column.name for column in constraint.columns} == columns:
            return str(constraint.name)
    for index in table.indexes:
        if index.unique and {column.name for column in index.columns} == columns and index.name:
            return str(index.name)
    return None


def constraint_name(exc: IntegrityError) -> str | None:
    """The name of the constraint ``exc`` broke: PostgreSQL names it; SQLite names the
    columns of a unique one, looked up in the models. ``None`` when unknown."""
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    found = _SQLITE_UNIQUE.search(str(exc.orig))
    if found is None:
        return None
    qualified = [part.strip() for part in found.group(1).split(",")]
    tables = {part.split(".", 1)[0] for part in qualified}
    if len(tables) != 1 or not all("." in part for part in qualified):
        return None
    return _unique_named(tables.pop(), {part.split(".", 1)[1] for part in qualified})


def _is_unique_violation(exc: IntegrityError) -> bool:
    return getattr(exc.orig, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(
        exc.orig
    )


def integrity_api_error(
    exc: IntegrityError,
    *,
    messages: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> ApiError:
    """The 409 for a write the database refused: the message of the broken constraint
    (from ``messages``, else :data:`CONSTRAINT_MESSAGES`), naming the request field
    ``fields[constraint]`` when given; logged in English with the constraint's name."""
    name = constraint_name(exc)
    detail = str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)
    log.warning("write refused by constraint %s: %s", name or "(unnamed)", detail)
    message = (messages or {}).get(name or "") or CONSTRAINT_MESSAGES.get(name or "")
    field = (fields or {}).get(name or "")
    unique = _is_unique_violation(exc)
    return ApiError(
        409,
        message or _CONFLICT_MESSAGE,
        code="duplicate" if unique else "conflict",
        fields=[{"field": field, "message": message or _CONFLICT_MESSAGE}] if field else None,
    )


def _is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` says the database is busy (locked, deadlocked, out of connections)."""
    if isinstance(exc, PoolTimeoutError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.orig, "sqlstate", None) in _BUSY_STATES:
        return True
    return "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def _json(status_code: int, code: str, message: str, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return JSONResponse({"error": body}, status_code=status_code)


def _page(request: Request, status_code: int, message: str) -> Response:
    template = "errors/404.html" if status_code == 404 else "errors/error.html"
    return render(
        request,
        template,
        {"status_code": status_code, "message": message},
        status_code=status_code,
    )


def _respond(request: Request, error: ApiError) -> Response:
    if _wants_json(request):
        return _json(error.status_code, error.code, error.message, fields=error.fields)
    return _page(request, error.status_code, error.message)


def _server_error_response(request: Request, exc: BaseException) -> Response:
    """The answer to an exception nothing else handled: 503 when the database is busy,
    else the 500; logged with the traceback."""
    if _is_busy(exc):
        log.warning("database busy on %s %s: %s", request.method, request.url.path, exc)
        response = _respond(request, ApiError(503))
        response.headers["Retry-After"] = "1"
        return response
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return _respond(request, ApiError(500))


class _ServerErrors:
    """Answer an exception that left a route unhandled with :func:`_server_error_response`
    instead of letting it reach the server (which would close the connection). Re-raised
    when the response had already started, and for an HTTP error (which the app's handlers
    answer inside, so it only escapes from a body an outer middleware limits)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            if started or _http_exception(exc):  # an outer middleware answers those
                raise
            response = _server_error_response(Request(scope), exc)
            await response(scope, receive, send)


def _http_exception(exc: BaseException) -> bool:
    """Whether ``exc`` is (or was raised from) an HTTP error such as the upload limit's."""
    return isinstance(exc, StarletteHTTPException) or isinstance(
        exc.__cause__, StarletteHTTPException
    )


def _content_type(scope: Scope) -> str:
    for key, value in scope.get("headers", ()):
        if key == b"content-type":
            return bytes(value).decode("latin-1").split(";", 1)[0].strip().lower()
    return ""


def _url_nul_fields(scope: Scope) -> list[str]:
    found = ["path"] if "\x00" in scope.get("path", "") else []
    query = bytes(scope.get("query_string", b""))
    if b"%00" in query or b"\x00" in query:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
        found += nul_pairs(pairs, "query")
    return found


def _body_nul_fields(content_type: str, body: bytes) -> list[str]:
    if content_type == _FORM_TYPE:
        if b"%00" not in body and b"\x00" not in body:
            return []
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
        return nul_pairs(pairs, "body")
    if b"\\u0000" not in body:  # a raw NUL byte is invalid JSON: the route refuses it
        return []
    try:
        value = json.loads(body)
    except ValueError:
        return []
    return nul_fields(value, "body")


def _checks_body(content_type: str) -> bool:
    return (
        content_type in _JSON_TYPES
        or not content_type  # FastAPI reads a body without a type as JSON
        or (content_type.startswith("application/") and content_type.endswith("+json"))
        or content_type == _FORM_TYPE
    )


class _NulGuard:
    """Refuse (422, naming the fields) a request with a NUL character in its path, query
    string, JSON body or URL-encoded form; the body read is handed on to the route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        found = _url_nul_fields(scope)
        content_type = _content_type(scope)
        has_body = scope.get("method") not in ("GET", "HEAD", "OPTIONS")
        if not found and has_body and _checks_body(content_type):
            chunks: list[bytes] = []
            more = True
            while more:
                message = await receive()
                if message["type"] != "http.request":  # the client went away
                    return
                chunks.append(message.get("body", b""))
                more = message.get("more_body", False)
            body = b"".join(chunks)
            found = _body_nul_fields(content_type, body)
            receive = _replay(body, receive)
        if found:
            request = Request(scope)
            log.info("NUL character refused on %s %s: %s", request.method, scope["path"], found)
            fields = [{"field": name, "message": "不能包含空字符（NUL）"} for name in found]
            await _respond(request, ApiError(422, _NUL_MESSAGE, fields=fields))(
                scope, receive, send
            )
            return
        await self.app(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over ``body`` once, then waits on the client as before."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error its JSON or HTML form, and the inner
    middlewares that answer unhandled exceptions and NUL characters (see the module)."""
    app.add_middleware(_ServerErrors)
    app.add_middleware(_NulGuard)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return _respond(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = _CODES.get(exc.status_code, ("error", "出错了"))
        if isinstance(exc.detail, str) and exc.detail and exc.status_code not in (404, 405):
            message = exc.detail
        error = ApiError(exc.status_code, message, code=code)
        response = _respond(request, error)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = [
            {
                "field": ".".join(str(part) for part in err.get("loc", ())),
                "message": str(err.get("msg", "")),
            }
            for err in exc.errors()
        ]
        log.info("validation error on %s %s: %s", request.method, request.url.path, fields)
        return _respond(request, ApiError(422, "输入有误，请检查标出的字段", fields=fields))

    @app.exception_handler(StaleDataError)
    async def _conflict(request: Request, exc: StaleDataError) -> Response:
        log.info("conflict on %s %s: %s", request.method, request.url.path, exc)
        return _respond(request, ApiError(409))

    @app.exception_handler(IntegrityError)
    async def _refused_write(request: Request, exc: IntegrityError) -> Response:
        # A last resort: routes that know what was duplicated answer it themselves.
        return _respond(request, integrity_api_error(exc))

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        # Reached only by errors outside the inner middleware (in an outer middleware).
        return _server_error_response(request, exc)
