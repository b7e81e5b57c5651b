"""我的工作台 (``/me``): the signed-in user's organization's listings by section with their
actions, its deals with what waits for whom, projects, follows and inbox, and evaluations."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.presenters.workspace import workspace_public
from jingjinji.web.templating import render
from jingjinji.workspace import gather_workspace

router = APIRouter(include_in_schema=False)

__all__ = ["router"]

#: How long a renewed listing stays valid unless the editor picks another date.
RENEWAL = timedelta(days=365)


@router.get("/me", response_class=HTMLResponse)
def workspace_page(
    request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> Response:
    """我的工作台 for signed-in users; anonymous visitors are sent to sign in."""
    if user is None:
        return RedirectResponse("/login?next=/me", status_code=303)
    space = workspace_public(gather_workspace(db, user, atlas=atlas), user=user, atlas=atlas)
    today = date.today()
    context = {
        "title": "我的工作台",
        "me": space,
        "renew_min": (today + timedelta(days=1)).isoformat(),
        "renew_default": (today + RENEWAL).isoformat(),
    }
    return render(request, "workspace/index.html", context, active="me")
