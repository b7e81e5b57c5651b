"""Listings of the supply–demand market, their matches and the match workflow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas
from jingjinji.auth import EDITOR, owner, snapshot
from jingjinji.store.base import required_cleared
from jingjinji.store.models import Listing, User
from jingjinji.web.deps import AtlasDep, MarketIndexDep, OptionalUser, SessionDep, SettingsDep
from jingjinji.web.errors import ApiError
from jingjinji.web.market_errors import market_errors
from jingjinji.web.ownership import editable_record, owning_organization_id
from jingjinji.web.params import ListingFiltersDep
from jingjinji.web.presenters import listings as present
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.listings import (
    ListingCreate,
    ListingPublic,
    ListingsPublic,
    ListingUpdate,
    MatchesPublic,
    MatchPublic,
    SegmentSuggestions,
)
from jingjinji.web.security import requires
from jingjinji.web.visitor_cache import keep_for_visitors

router = APIRouter(prefix="/api", tags=["market"])

# ``get_visible``, ``publics`` and ``match_publics`` also serve web/api/loop.py.
__all__ = ["get_visible", "match_publics", "publics", "router"]


def get_visible(session: Session, listing_id: int, user: User | None) -> Listing:
    """The listing, or 404 when it does not exist or the caller may not see it."""
    with market_errors():
        return market.visible_listing(session, listing_id, user)


def publics(
    session: Session, listings: Sequence[Listing], *, user: User | None, atlas: Atlas
) -> list[ListingPublic]:
    """Public forms of several listings (organization names in one query; contacts of
    listings in a deal at 洽谈 or later revealed to the other side)."""
    names = market.organization_names(session, listings)
    revealed = market.revealed_contacts(session, listings) if user is not None else {}
    return present.listing_publics(listings, names, user=user, atlas=atlas, revealed=revealed)


def match_publics(
    session: Session, results: Sequence[market.MatchResult], *, user: User | None, atlas: Atlas
) -> list[MatchPublic]:
    """Public forms of computed matches (organization names in one query)."""
    names = market.organization_names(session, [r.listing for r in results])
    return present.match_publics(results, names, user=user, atlas=atlas)


@router.get("/listings", summary="检索供需信息（分页、筛选、全文检索）")
def list_listings(
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: OptionalUser,
    filters: ListingFiltersDep,
    kind: Annotated[
        str | None, Query(pattern="^(achievement|demand|challenge|instrument)$")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ListingsPublic:
    """Published, unexpired listings (and the caller's own drafts), filtered and searched."""
    rows, total = market.search_listings(
        db,
        index,
        user=user,
        atlas=atlas,
        kind=kind,
        **vars(filters),
        limit=limit,
        offset=offset,
    )
    return ListingsPublic(data=publics(db, rows, user=user, atlas=atlas), count=total)


@router.post("/listings", status_code=201, summary="发布供需信息或保存草稿")
def create_listing(
    body: ListingCreate,
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(EDITOR)],
) -> ListingPublic:
    """Publish or save a draft of a listing for the caller's organization (admins may name
    another organization); segments are suggested from the text when not given."""
    org_id = owning_organization_id(db, user, body.organization_id, what="供需信息")
    values = body.model_dump(exclude={"organization_id", "status"})
    if values["segments"] is None:
        text = f"{body.title}\n{body.summary}\n{' '.join(body.keywords)}"
        found = market.suggest_segments(text, atlas)
        values["segments"] = [item["segment"] for item in found if item["decision"] != "rejected"]
    listing = Listing(organization_id=org_id, status=body.status, provenance="user")
    with market_errors():
        market.save_listing(db, listing, values, before=None, actor=user, atlas=atlas, index=index)
    db.commit()
    return publics(db, [listing], user=user, atlas=atlas)[0]


@router.get("/listings/{listing_id}", summary="读取一条供需信息")
def read_listing(
    listing_id: DbIdPath,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
) -> ListingPublic:
    """One listing (404 when not visible to the caller); contacts once a deal with the
    caller's organization reached 洽谈; confidential details once it accepted the agreement."""
    listing = get_visible(db, listing_id, user)
    item = publics(db, [listing], user=user, atlas=atlas)[0]
    item.confidential_details = market.confidential_details(db, listing, user)
    return item


@router.patch("/listings/{listing_id}", summary="修改、发布或关闭供需信息")
def update_listing(
    listing_id: DbIdPath,
    body: ListingUpdate,
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(owner("listing"))],
) -> ListingPublic:
    """Change a listing of the caller's organization (publish, close, edit)."""
    listing = editable_record(db, Listing, listing_id, user, not_found="供需信息不存在")
    if body.version is not None and body.version != listing.version:
        raise ApiError(409)
    before = snapshot(listing)
    values = body.model_dump(exclude_unset=True, exclude={"version"})
    cleared = required_cleared(Listing, values)
    if cleared:
        fields = [{"field": f"body.{name}", "message": "may not be null"} for name in cleared]
        raise ApiError(422, f"以下字段不能清空：{'、'.join(cleared)}", fields=fields)
    with market_errors():
        market.save_listing(
            db, listing, values, before=before, actor=user, atlas=atlas, index=index
        )
    db.commit()
    return publics(db, [listing], user=user, atlas=atlas)[0]


@router.get("/listings/{listing_id}/matches", summary="一条供需信息的最佳匹配及理由")
def listing_matches(
    listing_id: DbIdPath,
    request: Request,
    response: Response,
    db: SessionDep,
    index: MarketIndexDep,
    atlas: AtlasDep,
    user: OptionalUser,
    settings: SettingsDep,
    top: Annotated[int, Query(ge=1, le=50)] = 10,
    expand: Annotated[bool, Query(description="检索时并入所属产业环节的词汇（默认是）")] = True,
) -> MatchesPublic:
    """The best counterparts of a listing by the full formula, each with its reasons; the
    query takes in the vocabulary of the listing's segments unless ``expand=false``. Kept for
    visitors as long as the matches (``JJJ_MATCHES_REFRESH_SECONDS``)."""
    listing = get_visible(db, listing_id, user)
    results = market.compute_matches(db, index, listing, top=top, expand=expand)
    db.commit()
    data = match_publics(db, results, user=user, atlas=atlas)
    expansion = market.query_expansion(index, listing) if expand else []
    segments = market.expansion_segments(index, listing) if expand else []
    keep_for_visitors(request, response, settings.matches_refresh_seconds)
    return MatchesPublic(
        data=data, count=len(data), expansion=expansion, expansion_segments=segments
    )


@router.get("/segment-suggestions", summary="根据文本推荐产业链环节")
def segment_suggestions(
    atlas: AtlasDep, text: Annotated[str, Query(max_length=4000)] = ""
) -> SegmentSuggestions:
    """Atlas segments suggested for a listing's text, with their evidence."""
    found = market.suggest_segments(text, atlas, limit=5) if text.strip() else []
    data = present.segment_suggestions(found, atlas)
    return SegmentSuggestions(data=data, count=len(data))
