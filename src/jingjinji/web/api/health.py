"""Liveness ``GET /healthz`` and readiness ``GET /readyz``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="健康检查")
async def healthz() -> dict[str, str]:
    """Always ``{"status": "ok"}`` while the process serves requests."""
    return {"status": "ok"}


@router.get("/readyz", summary="就绪检查")
async def readyz(request: Request) -> JSONResponse:
    """``{"status": "ready"}`` (200) once this worker process has warmed its caches (the
    start-up warm-up, see ``JJJ_WARM_UP``, and the rendering of visitors' answers of the
    listings it warmed have finished or are off), else
    ``{"status": "warming"}`` (503): a load balancer or a benchmark sends users to a process
    when it is ready, as it sends them to one that is alive after ``/healthz``. Each worker
    process answers for itself."""
    warm_up = getattr(request.app.state, "warm_up", None)
    visitors = getattr(request.app.state, "warming_visitors", None)
    warming = (warm_up is not None and warm_up.is_alive()) or (
        visitors is not None and not visitors.done()
    )
    return JSONResponse(
        {"status": "warming" if warming else "ready"}, status_code=503 if warming else 200
    )
