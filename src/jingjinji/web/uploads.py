"""Upload limits: bodies larger than ``JJJ_MAX_UPLOAD_MB`` are refused before they are read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.responses import JSONResponse, Response

__all__ = ["upload_limit_middleware"]


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
