"""供需对接: search, listing pages with matches and reasons, publish forms, the challenge
board and the instrument list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.market.challenge_board import challenge_rows
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.models import Listing, User
from jingjinji.web.deps import AtlasDep, MarketIndexDep, OptionalUser, SessionDep
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.challenges import challenge_summaries
from jingjinji.web.presenters.listings import listing_publics, match_publics
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.listings import ListingPublic
from jingjinji.web.templating import render

router = APIRouter(include_in_schema=False)

__all__ = ["router"]

PAGE_SIZE = 20

PageNumber = Annotated[int, Query(ge=1, le=5000)]

#: What a board shows of its rows: template context from the page's listings.
BoardRows = Callable[[Session, list[Listing], User | None, Atlas], dict[str, object]]


def _filters(atlas: Atlas) -> dict[str, object]:
    return {
        "kinds": market.KIND_LABELS,
        "stages": MATURITY_STAGES,
        "places": atlas.prefecture_units(),
        "industries": atlas.industries,
    }


def _paging(total: int, page: int, size: int) -> dict[str, int]:
    return {"total": total, "page": page, "pages": max(1, (total + size - 1) // size)}


def _publics(
    db: Session, rows: Sequence[Listing], user: User | None, atlas: Atlas
) -> list[ListingPublic]:
    return listing_publics(rows, market.organization_names(db, rows), user=user, atlas=atlas)


@router.get("/market", response_class=HTMLResponse)
def market_home(
    request: Request,
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(pattern="^(|achievement|demand|challenge|instrument)$")] = "",
    place: Annotated[str, Query(pattern=r"^(|\d{6})$")] = "",
    industry: Annotated[str, Query(max_length=64)] = "",
    stage: Annotated[str, Query(max_length=8)] = "",
    page: PageNumber = 1,
) -> Response:
    """Search and filter the listings."""
    rows, total = market.search_listings(
        db,
        index,
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
        "listings": _publics(db, rows, user, atlas),
        **_paging(total, page, PAGE_SIZE),
        "query": {"q": q, "kind": kind, "place": place, "industry": industry, "stage": stage},
        "stats": market.market_statistics(db),
        **_filters(atlas),
    }
    return render(request, "market/index.html", context, active="market")


@router.get("/market/listings/{listing_id}", response_class=HTMLResponse)
def listing_page(
    listing_id: DbIdPath,
    request: Request,
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: OptionalUser,
) -> Response:
    """One listing with its best matches and the reasons for each."""
    with market_errors():
        listing = market.visible_listing(db, listing_id, user)
    results = []
    if listing.status == "published" and not market.is_expired(listing):
        results = market.compute_matches(db, index, listing, top=10)
        db.commit()
    names = market.organization_names(db, [listing, *(r.listing for r in results)])
    context = {
        "title": listing.title,
        "listing": listing_publics([listing], names, user=user, atlas=atlas)[0],
        "matches": match_publics(results, names, user=user, atlas=atlas),
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


def _challenges(
    db: Session, rows: list[Listing], user: User | None, atlas: Atlas
) -> dict[str, object]:
    """揭榜挂帅: each call's stage, deadline, number of applicants and reward."""
    summaries = challenge_summaries(challenge_rows(db, rows), atlas)
    return {"challenges": summaries, "stages": market.CHALLENGE_STAGES}


def _instruments(
    db: Session, rows: list[Listing], user: User | None, atlas: Atlas
) -> dict[str, object]:
    """仪器共享: shareable instruments with price per hour and booking contact."""
    return {"kind": "instrument", "listings": _publics(db, rows, user, atlas)}


def _add_board(path: str, name: str, kind: str, *, size: int, rows: BoardRows) -> None:
    """Serve at ``path`` a board: the published listings of ``kind`` the caller may see,
    newest first, ``size`` a page, shown by ``market/<kind>s.html`` with ``rows``."""

    def board(
        request: Request,
        db: SessionDep,
        index: MarketIndexDep,
        atlas: AtlasDep,
        user: OptionalUser,
        page: PageNumber = 1,
    ) -> Response:
        found, total = market.search_listings(
            db,
            index,
            user=user,
            atlas=atlas,
            kind=kind,
            status="published",
            limit=size,
            offset=(page - 1) * size,
        )
        context = {
            "title": market.KIND_LABELS[kind],
            **rows(db, found, user, atlas),
            **_paging(total, page, size),
        }
        return render(request, f"market/{kind}s.html", context, active="market")

    board.__doc__ = rows.__doc__
    router.add_api_route(path, board, methods=["GET"], response_class=HTMLResponse, name=name)


_add_board("/market/challenges", "challenge_board", "challenge", size=50, rows=_challenges)
_add_board(
    "/market/instruments", "instrument_list", "instrument", size=PAGE_SIZE * 3, rows=_instruments
)
