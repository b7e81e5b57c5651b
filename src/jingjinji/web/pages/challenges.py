"""揭榜挂帅 pages: a challenge's cycle (the board is in :mod:`jingjinji.web.pages.market`);
the 收件箱 (inbox) page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jingjinji.market import follows
from jingjinji.market.challenge_board import challenge_detail, visible_challenge
from jingjinji.market.challenges import may_review
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.challenges import challenge_state
from jingjinji.web.presenters.follows import follow_publics, inbox_public
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

__all__ = ["router"]


@router.get("/market/challenges/{listing_id}", response_class=HTMLResponse)
def challenge_page(
    listing_id: DbIdPath, request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> Response:
    """One call: the cycle as a step bar, history, applications (to those allowed),
    milestones, the apply form and the owner's controls."""
    with market_errors():
        listing = visible_challenge(db, listing_id, user)
    context = {
        "title": listing.title,
        "challenge": challenge_state(challenge_detail(db, listing, user), atlas),
        "summary": listing.summary,
        "target_indicators": listing.target_indicators,
        "signed_in": user is not None,
        "is_editor": user is not None and user.role in ("admin", "editor"),
        "reviewer": may_review(user, listing),
    }
    return render(request, "market/challenge.html", context, active="market")


@router.get("/inbox", response_class=HTMLResponse)
def inbox_page(request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser) -> Response:
    """收件箱: newly published listings matching what the user follows, and the follows."""
    if user is None:
        return RedirectResponse("/login?next=/inbox", status_code=303)
    context = {
        "title": "收件箱",
        "inbox": inbox_public(follows.inbox_of(db, user, limit=200)),
        "follows": follow_publics(follows.follows_of(db, atlas, user)),
    }
    return render(request, "inbox/index.html", context, active="market")
