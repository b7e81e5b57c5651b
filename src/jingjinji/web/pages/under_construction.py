"""Pages whose modules have not landed yet: they say 建设中 inside the real layout."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji.web.templating import NAV, render

router = APIRouter(include_in_schema=False)

#: Nav keys still under construction; remove a key when its page lands.
UNDER_CONSTRUCTION: frozenset[str] = frozenset()


def _page(key: str, label: str) -> Callable[[Request], Response]:
    def page(request: Request) -> Response:
        return render(request, "pages/under_construction.html", {"title": label}, active=key)

    page.__name__ = f"{key}_page"
    return page


for _key, _label, _path in NAV:
    if _key in UNDER_CONSTRUCTION:
        router.add_api_route(
            _path,
            _page(_key, _label),
            methods=["GET"],
            response_class=HTMLResponse,
        )
