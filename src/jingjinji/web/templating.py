"""Jinja2 templates (autoescaped) and the context every page gets."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from jingjinji import __version__
from jingjinji.atlas import cite, cite_all, cite_text
from jingjinji.web.beijing_time import in_beijing

__all__ = ["NAV", "render", "templates"]

#: The main navigation: (key, label, path).
NAV: tuple[tuple[str, str, str], ...] = (
    ("overview", "总览", "/"),
    ("chains", "产业链", "/chains"),
    ("market", "供需对接", "/market"),
    ("projects", "项目库", "/projects"),
    ("policies", "政策清单", "/policies"),
    ("indicators", "指标评价", "/indicators"),
)

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
# The templates ship with the package: no stat() of every template file on every render.
templates.env.auto_reload = False
templates.env.globals["app_version"] = __version__
templates.env.globals["nav_items"] = NAV


def _json_text(value: Any) -> str:
    """JSON for reading (Chinese kept as is); the template's autoescape makes it safe."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


templates.env.filters["json_text"] = _json_text


def _local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time as Beijing time ('' for none)."""
    return "" if value is None else in_beijing(value).strftime(fmt)


templates.env.filters["local_time"] = _local_time
templates.env.filters["cite"] = cite
templates.env.filters["cite_all"] = cite_all
templates.env.filters["cite_text"] = cite_text


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    active: str | None = None,
) -> Response:
    """Render template ``name`` with the signed-in user, CSRF token and active nav entry."""
    auth = getattr(request.state, "auth", None)
    page: dict[str, Any] = {
        "user": auth.user if auth else None,
        "csrf_token": auth.csrf_token if auth else "",
        "active": active,
    }
    page.update(context or {})
    return templates.TemplateResponse(request, name, page, status_code=status_code)
