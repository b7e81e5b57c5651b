"""Upload limits: bodies larger than ``JJJ_MAX_UPLOAD_MB`` are refused before they are read."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import Request, UploadFile
from starlette.responses import JSONResponse, Response

from jingjinji.store.tabular import TableError
from jingjinji.web.errors import ApiError

__all__ = ["read_upload", "table_error", "upload_limit_middleware"]

log = logging.getLogger(__name__)


async def upload_limit_middleware(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse a request whose declared ``Content-Length`` exceeds the upload limit (413)."""
    limit = int(request.app.state.settings.max_upload_mb * 1024 * 1024)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        message = f"上传内容过大：上限为 {request.app.state.settings.max_upload_mb:g} MB"
        return JSONResponse({"error": {"code": "too_large", "message": message}}, status_code=413)
    return await call_next(request)


async def read_upload(upload: UploadFile, request: Request) -> bytes:
    """The bytes of an uploaded file, refused with 413 past ``JJJ_MAX_UPLOAD_MB`` (also when
    the client sent no Content-Length) and with 422 when empty."""
    limit = int(request.app.state.settings.max_upload_mb * 1024 * 1024)
    chunks: list[bytes] = []
    size = 0
    while chunk := await upload.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            mb = request.app.state.settings.max_upload_mb
            raise ApiError(413, f"上传内容过大：上限为 {mb:g} MB")
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
