"""总览: the home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(request: Request) -> Response:
    """The region at a glance."""
    return render(request, "overview/index.html", {"title": "总览"}, active="overview")
