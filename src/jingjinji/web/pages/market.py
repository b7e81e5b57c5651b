"""供需对接: search, listing pages with matches and reasons, publish and edit forms, the
challenge board and the instrument list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError, Place
from jingjinji.auth import can_edit
from jingjinji.market.challenge_board import challenge_rows
from jingjinji.matching import MATURITY_STAGES
from jingjinji.store.models import Listing, User
from jingjinji.web.deps import AtlasDep, MarketIndexDep, OptionalUser, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError
from jingjinji.web.market_errors import market_errors
from jingjinji.web.presenters.challenges import challenge_summaries
from jingjinji.web.presenters.listings import listing_publics, match_publics
from jingjinji.web.presenters.workspace import gap_origin
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.listings import ListingPublic
from jingjinji.web.templating import render
from jingjinji.web.visitor_cache import keep_for_visitors
from jingjinji.workspace import gap_links

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
    settings: SettingsDep,
    expand: bool = True,
) -> Response:
    """One listing with its best matches and the reasons for each (``?expand=false``: the
    query without its segments' vocabulary); kept for visitors as long as the matches
    (``JJJ_MATCHES_REFRESH_SECONDS``)."""
    with market_errors():
        listing = market.visible_listing(db, listing_id, user)
    results = []
    if listing.status == "published" and not market.is_expired(listing):
        results = market.compute_matches(db, index, listing, top=10, expand=expand)
        db.commit()
    names = market.organization_names(db, [listing, *(r.listing for r in results)])
    revealed = market.revealed_contacts(db, [listing]) if user is not None else {}
    item = listing_publics([listing], names, user=user, atlas=atlas, revealed=revealed)[0]
    item.confidential_details = market.confidential_details(db, listing, user)
    context = {
        "title": listing.title,
        "listing": item,
        "may_accept_confidentiality": user is not None and user.role in ("editor", "admin"),
        "matches": match_publics(results, names, user=user, atlas=atlas),
        "match_stages": market.MATCH_STAGES,
        "decline_reasons": market.DECLINE_REASONS,
        "signed_in": user is not None,
        "expand": expand,
        "expansion": market.query_expansion(index, listing),
        "expansion_suggested": (
            []
            if listing.segments
            else [atlas.segment(slug).name for slug in market.expansion_segments(index, listing)]
        ),
    }
    page = render(request, "market/listing.html", context, active="market")
    keep_for_visitors(request, page, settings.matches_refresh_seconds)
    return page


def _form_places(atlas: Atlas, current: str | None) -> list[Place]:
    """The places a listing may be in: all but counties outside Hebei, and its ``current``."""
    places = [p for p in atlas.places if p.level != "county" or p.adcode[:2] == "13"]
    if current and all(p.adcode != current for p in places):
        with suppress(AtlasLookupError):
            places.append(atlas.place(current))
    return places


def _form_context(
    atlas: Atlas, user: User | None, kind: str, place: str | None = None
) -> dict[str, object]:
    """What the publish and edit forms of ``kind`` need: fields, vocabularies and places."""
    return {
        "kind": kind,
        "required": market.REQUIRED_FIELDS[kind],
        "modes": market.TRANSACTION_MODES,
        "types": market.ACHIEVEMENT_TYPES,
        "can_publish": can_edit(user, user.organization_id) if user else False,
        **_filters(atlas),
        "places": _form_places(atlas, place),
    }


@router.get("/market/publish", response_class=HTMLResponse)
def publish_form(
    request: Request,
    atlas: AtlasDep,
    user: OptionalUser,
    kind: Annotated[str, Query(pattern="^(achievement|demand|challenge|instrument)$")] = "demand",
) -> Response:
    """The publish form of one kind, with the completeness score as the user types; anonymous
    visitors and analysts see what publishing needs instead."""
    context = {
        "title": f"发布{market.KIND_LABELS[kind]}",
        **_form_context(atlas, user, kind),
        "values": {},
        "login_url": "/login?" + urlencode({"next": f"/market/publish?kind={kind}"}),
    }
    return render(request, "market/publish.html", context, active="market")


@router.get("/market/listings/{listing_id}/edit", response_class=HTMLResponse)
def edit_form(
    listing_id: DbIdPath,
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
) -> Response:
    """The publish form filled with a listing, for the editors of its organization and
    admins (404 when the caller may not see it, 403 when they may see but not change it)."""
    with market_errors():
        listing = market.visible_listing(db, listing_id, user)
    if not can_edit(user, listing.organization_id):
        who = "发布机构的编辑和管理员" if user else "发布机构的编辑登录后"
        raise ApiError(403, f"只有{who}可以修改这条信息")
    names = market.organization_names(db, [listing])
    public = listing_publics([listing], names, user=user, atlas=atlas)[0]
    context = {
        "title": f"编辑{public.kind_label}",
        **_form_context(atlas, user, listing.kind, listing.place_adcode),
        "listing": public,
        "values": {c.key: getattr(listing, c.key) for c in Listing.__table__.columns},
        "gap": gap_origin(gap_links(db, [listing.id]).get(listing.id), atlas),
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
        q: Annotated[str, Query(max_length=200)] = "",
        place: Annotated[str, Query(pattern=r"^(|\d{6})$")] = "",
        industry: Annotated[str, Query(max_length=64)] = "",
        page: PageNumber = 1,
    ) -> Response:
        found, total = market.search_listings(
            db,
            index,
            user=user,
            atlas=atlas,
            kind=kind,
            status="published",
            place=place or None,
            industry=industry or None,
            q=q or None,
            limit=size,
            offset=(page - 1) * size,
        )
        query = {"q": q, "place": place, "industry": industry}
        context = {
            "title": market.KIND_LABELS[kind],
            **_filters(atlas),  # first: a board's own rows (its stages) override the filters'
            **rows(db, found, user, atlas),
            **_paging(total, page, size),
            "query": query,
            "page_href": "?" + urlencode(query) + "&page=",
        }
        return render(request, f"market/{kind}s.html", context, active="market")

    board.__doc__ = rows.__doc__
    router.add_api_route(path, board, methods=["GET"], response_class=HTMLResponse, name=name)


_add_board("/market/challenges", "challenge_board", "challenge", size=50, rows=_challenges)
_add_board(
    "/market/instruments", "instrument_list", "instrument", size=PAGE_SIZE * 3, rows=_instruments
)
