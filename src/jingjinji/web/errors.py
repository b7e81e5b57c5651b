"""Errors: one JSON shape for ``/api/*``, Chinese HTML pages elsewhere.

JSON errors always look like ``{"error": {"code": "not_found", "message": "…"}}``; validation
errors add ``"fields"``: a list of ``{"field": "body.title", "message": "…"}``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from jingjinji.web.templating import render

__all__ = ["ApiError", "install_error_handlers"]

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
}


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


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error its JSON or HTML form."""

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

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(request, ApiError(500))
