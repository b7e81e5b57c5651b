"""揭榜挂帅 pages: the challenge board and a challenge's cycle; the 收件箱 (inbox) page."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from jingjinji import market
from jingjinji.market.challenges import may_review
from jingjinji.store.models import Listing
from jingjinji.web.api.challenges import challenge_state, challenge_summaries
from jingjinji.web.api.follows import follows_of, inbox_of
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


@router.get("/market/challenges", response_class=HTMLResponse)
def challenge_board(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    page: Annotated[int, Query(ge=1, le=5000)] = 1,
) -> Response:
    """揭榜挂帅: each call's stage, deadline, number of applicants and reward."""
    where = [
        Listing.kind == "challenge",
        Listing.status == "published",
        market.visible_clause(user, date.today()),
    ]
    total = int(db.scalar(select(func.count(Listing.id)).where(*where)) or 0)
    rows = db.scalars(
        select(Listing)
        .where(*where)
        .order_by(Listing.published_at.desc().nulls_last(), Listing.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    context = {
        "title": "揭榜挂帅",
        "challenges": challenge_summaries(db, list(rows), atlas),
        "stages": market.CHALLENGE_STAGES,
        "total": total,
        "page": page,
        "pages": max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
    }
    return render(request, "market/challenges.html", context, active="market")


@router.get("/market/challenges/{listing_id}", response_class=HTMLResponse)
def challenge_page(
    listing_id: DbIdPath, request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> Response:
    """One call: the cycle as a step bar, history, applications (to those allowed),
    milestones, the apply form and the owner's controls."""
    listing = db.get(Listing, listing_id) if 1 <= listing_id <= 2**31 - 1 else None
    if listing is None or listing.kind != "challenge" or not market.can_see(listing, user):
        raise ApiError(404, "榜单不存在或未公开")
    state = challenge_state(db, listing, user, atlas)
    context = {
        "title": listing.title,
        "challenge": state,
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
        "inbox": inbox_of(db, user, limit=200),
        "follows": follows_of(db, atlas, user),
    }
    return render(request, "inbox/index.html", context, active="market")
