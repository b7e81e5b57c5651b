"""供需对接: search, listing pages with matches and reasons, publish forms, the challenge
board and the instrument list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from jingjinji import market
from jingjinji.matching import MATURITY_STAGES
from jingjinji.web.api.listings import (
    get_visible,
    market_index,
    match_publics,
    publics,
    search_listings,
)
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


def _filters(atlas: AtlasDep) -> dict[str, object]:
    return {
        "kinds": market.KIND_LABELS,
        "stages": MATURITY_STAGES,
        "places": atlas.prefecture_units(),
        "industries": atlas.industries,
    }


@router.get("/market", response_class=HTMLResponse)
def market_home(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(pattern="^(|achievement|demand|challenge|instrument)$")] = "",
    place: Annotated[str, Query(pattern=r"^(|\d{6})$")] = "",
    industry: Annotated[str, Query(max_length=64)] = "",
    stage: Annotated[str, Query(max_length=8)] = "",
    page: Annotated[int, Query(ge=1, le=5000)] = 1,
) -> Response:
    """Search and filter the listings."""
    rows, total = search_listings(
        db,
        request,
        user=user,
        atlas=atlas,
        kind=kind or None,
        place=place or None,
        industry=industry or None,
        stage=stage or None,
        q=q or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    context = {
        "title": "供需对接",
        "listings": publics(db, rows, user=user, atlas=atlas),
        "total": total,
        "page": page,
        "pages": max(1, (total + PAGE_SIZE - 1) // PAGE_SIZE),
        "query": {"q": q, "kind": kind, "place": place, "industry": industry, "stage": stage},
        "stats": market.market_statistics(db),
        **_filters(atlas),
    }
    return render(request, "market/index.html", context, active="market")


@router.get("/market/listings/{listing_id}", response_class=HTMLResponse)
def listing_page(
    listing_id: DbIdPath, request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser
) -> Response:
    """One listing with its best matches and the reasons for each."""
    if not 1 <= listing_id <= 2**31 - 1:
        raise ApiError(404, "供需信息不存在")
    listing = get_visible(db, listing_id, user)
    results = []
    if listing.status == "published" and not market.is_expired(listing):
        results = market.compute_matches(db, market_index(request), listing, top=10)
        db.commit()
    context = {
        "title": listing.title,
        "listing": publics(db, [listing], user=user, atlas=atlas)[0],
        "matches": match_publics(db, results, user=user, atlas=atlas),
        "match_stages": market.MATCH_STAGES,
        "decline_reasons": market.DECLINE_REASONS,
        "signed_in": user is not None,
    }
    return render(request, "market/listing.html", context, active="market")


@router.get("/market/publish", response_class=HTMLResponse)
def publish_form(
    request: Request,
    atlas: AtlasDep,
    user: OptionalUser,
    kind: Annotated[str, Query(pattern="^(achievement|demand|challenge|instrument)$")] = "demand",
) -> Response:
    """The publish form of one kind, with the completeness score as the user types."""
    context = {
        "title": f"发布{market.KIND_LABELS[kind]}",
        "kind": kind,
        "required": market.REQUIRED_FIELDS[kind],
        "modes": market.TRANSACTION_MODES,
        "types": market.ACHIEVEMENT_TYPES,
        "can_publish": user is not None and user.role in ("admin", "editor"),
        **_filters(atlas),
        "places": [p for p in atlas.places if p.level != "county" or p.adcode[:2] == "13"],
    }
    return render(request, "market/publish.html", context, active="market")


def _board(
    request: Request, db: SessionDep, atlas: AtlasDep, user: OptionalUser, kind: str, page: int
) -> Response:
    rows, total = search_listings(
        db,
        request,
        user=user,
        atlas=atlas,
        kind=kind,
        status="published",
        limit=PAGE_SIZE * 3,
        offset=(page - 1) * PAGE_SIZE * 3,
    )
    context = {
        "title": market.KIND_LABELS[kind],
        "kind": kind,
        "listings": publics(db, rows, user=user, atlas=atlas),
        "total": total,
        "page": page,
        "pages": max(1, (total + PAGE_SIZE * 3 - 1) // (PAGE_SIZE * 3)),
    }
    return render(request, f"market/{kind}s.html", context, active="market")


@router.get("/market/instruments", response_class=HTMLResponse)
def instrument_list(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    page: Annotated[int, Query(ge=1, le=5000)] = 1,
) -> Response:
    """仪器共享: shareable instruments with price per hour and booking contact."""
    return _board(request, db, atlas, user, "instrument", page)
