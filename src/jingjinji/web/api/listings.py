"""Listings of the supply–demand market, their matches and the match workflow."""

from __future__ import annotations

import threading
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import EDITOR, audit_row, can_edit, owner, snapshot
from jingjinji.market.follows import notify_followers
from jingjinji.matching import TRL_RANGES
from jingjinji.store.base import required_cleared
from jingjinji.store.models import Listing, ListingSegment, Match, MatchEvent, Organization, User
from jingjinji.web.deps import AtlasDep, OptionalUser, SessionDep
from jingjinji.web.errors import ApiError
from jingjinji.web.ownership import editable_record, owning_organization_id
from jingjinji.web.schemas.common import DbIdPath
from jingjinji.web.schemas.listings import (
    ListingCreate,
    ListingPublic,
    ListingsPublic,
    ListingUpdate,
    MatchesPublic,
    MatchEventPublic,
    MatchPublic,
    MatchStatePublic,
    ReasonPublic,
    SegmentRef,
    SegmentSuggestion,
    SegmentSuggestions,
    TransitionCreate,
)
from jingjinji.web.security import requires

router = APIRouter(prefix="/api", tags=["market"])

_INDEX_LOCK = threading.Lock()


def market_index(request: Request) -> market.MarketIndex:
    """The app's matching index, created on first use (loaded from disk or built)."""
    state = request.app.state
    with _INDEX_LOCK:
        index = getattr(state, "market_index", None)
        if index is None:
            settings = state.settings
            index = market.MarketIndex(
                state.atlas,
                folder=market.index_folder(settings),
                weights=market.weights_from(settings),
            )
            state.market_index = index
    return index


def _error(exc: market.MarketError) -> ApiError:
    return ApiError(
        exc.status, exc.message_zh, fields=[{"field": f"body.{exc.field}", "message": str(exc)}]
    )


def _trl(stage: str | None) -> str | None:
    if stage not in TRL_RANGES:
        return None
    lo, hi = TRL_RANGES[stage]
    return f"TRL {lo}" if lo == hi else f"TRL {lo}–{hi}"


def listing_public(
    listing: Listing, *, user: User | None, atlas: Atlas, org_name: str
) -> ListingPublic:
    """The public form of a listing for ``user``: contacts hidden unless allowed."""
    place_name = None
    if listing.place_adcode:
        try:
            place_name = atlas.place(listing.place_adcode).name
        except AtlasLookupError:
            place_name = listing.place_adcode
    segments = []
    for slug in listing.segments or []:
        try:
            segment = atlas.segment(slug)
            segments.append(
                SegmentRef(slug=slug, name=segment.name, industry=atlas.industry_of(slug).slug)
            )
        except AtlasLookupError:
            continue
    values = {c.key: getattr(listing, c.key) for c in Listing.__table__.columns}
    state = market.completeness(listing.kind, values)
    visible = market.contact_visible(listing, user)
    return ListingPublic(
        **{
            key: values[key]
            for key in ListingPublic.model_fields
            if key in values and key not in ("segments", "contact")
        },
        kind_label=market.KIND_LABELS.get(listing.kind, listing.kind),
        organization_name=org_name,
        place_name=place_name,
        segments=segments,
        trl=_trl(listing.stage),
        expired=market.is_expired(listing),
        contact=listing.contact if visible else None,
        completeness=state.score,
        missing=state.missing,
        is_sample=listing.provenance == "demo",
        can_edit=can_edit(user, listing.organization_id),
    )


def _org_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(ids))
    )
    return {int(i): str(n) for i, n in rows.all()}


def publics(
    session: Session, listings: list[Listing], *, user: User | None, atlas: Atlas
) -> list[ListingPublic]:
    """Public forms of several listings (organization names in one query)."""
    names = _org_names(session, {listing.organization_id for listing in listings})
    return [
        listing_public(item, user=user, atlas=atlas, org_name=names.get(item.organization_id, ""))
        for item in listings
    ]


def get_visible(session: Session, listing_id: int, user: User | None) -> Listing:
    """The listing, or 404 when it does not exist or the caller may not see it."""
    listing = session.get(Listing, listing_id)
    if listing is None or not market.can_see(listing, user):
        raise ApiError(404, "供需信息不存在或未公开")
    return listing


def search_listings(
    session: Session,
    request: Request,
    *,
    user: User | None,
    atlas: Atlas,
    kind: str | None = None,
    place: str | None = None,
    industry: str | None = None,
    segment: str | None = None,
    stage: str | None = None,
    status: str | None = None,
    q: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[Listing], int]:
    """Visible listings matching the filters; ``q`` ranks by BM25 (published listings) and
    also finds the caller's drafts by title."""
    today = date.today()
    where: list[ColumnElement[bool]] = [market.visible_clause(user, today)]
    if kind:
        where.append(Listing.kind == kind)
    if place:
        try:
            codes = [place] + [p.adcode for p in atlas.descendants(place)]
        except AtlasLookupError:
            codes = [place]
        where.append(Listing.place_adcode.in_(codes))
    if industry:
        sub = select(ListingSegment.listing_id).where(ListingSegment.industry == industry)
        where.append(Listing.id.in_(sub))
    if segment:
        sub = select(ListingSegment.listing_id).where(ListingSegment.segment == segment)
        where.append(Listing.id.in_(sub))
    if stage:
        where.append(Listing.stage == stage)
    if status:
        where.append(Listing.status == status)
    rank: dict[int, int] = {}
    if q and q.strip():
        matcher = market_index(request).ensure(session)
        kinds = (kind,) if kind else market_kinds()
        hits = matcher.search(q, kinds=kinds, k=500)
        rank = {key: i for i, (key, _score) in enumerate(hits)}
        text_match = Listing.title.contains(q.strip()[:100], autoescape=True)
        where.append(Listing.id.in_(list(rank)) | text_match)
    total = int(session.scalar(select(func.count(Listing.id)).where(*where)) or 0)
    query = select(Listing).where(*where)
    if rank:
        rows = list(session.scalars(query.limit(1000)).all())
        rows.sort(key=lambda row: (rank.get(row.id, len(rank)), -row.id))
        return rows[offset : offset + limit], total
    query = query.order_by(Listing.published_at.desc().nulls_last(), Listing.id.desc())
    return list(session.scalars(query.offset(offset).limit(limit)).all()), total


def market_kinds() -> tuple[str, ...]:
    return tuple(market.KIND_LABELS)


@router.get("/listings")
def list_listings(
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    kind: Annotated[
        str | None, Query(pattern="^(achievement|demand|challenge|instrument)$")
    ] = None,
    place: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    industry: Annotated[str | None, Query(max_length=64)] = None,
    segment: Annotated[str | None, Query(max_length=64)] = None,
    stage: Annotated[str | None, Query(max_length=8)] = None,
    status: Annotated[str | None, Query(pattern="^(draft|published|closed)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> ListingsPublic:
    """Published, unexpired listings (and the caller's own drafts), filtered and searched."""
    rows, total = search_listings(
        db,
        request,
        user=user,
        atlas=atlas,
        kind=kind,
        place=place,
        industry=industry,
        segment=segment,
        stage=stage,
        status=status,
        q=q,
        limit=limit,
        offset=offset,
    )
    return ListingsPublic(data=publics(db, rows, user=user, atlas=atlas), count=total)


def _apply(listing: Listing, values: dict[str, Any], atlas: Atlas) -> None:
    segments = values.pop("segments", None)
    if "place_adcode" in values:
        values["place_adcode"] = market.place_or_error(atlas, values["place_adcode"])
    for key, value in values.items():
        setattr(listing, key, value)
    if segments is not None:
        market.set_segments(listing, segments, atlas)


def _publish_check(listing: Listing, before_status: str | None) -> None:
    if listing.status == "published" and before_status != "published":
        for name, label in (("title", "名称"), ("summary", "简介"), ("place_adcode", "所在地")):
            if not getattr(listing, name):
                raise market.MarketError(
                    name, f"{name} is required to publish", f"发布前请填写{label}"
                )
        listing.published_at = datetime.now(UTC)


@router.post("/listings", status_code=201)
def create_listing(
    body: ListingCreate,
    request: Request,
    db: SessionDep,
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
    try:
        _apply(listing, values, atlas)
        _publish_check(listing, None)
    except market.MarketError as exc:
        raise _error(exc) from exc
    db.add(listing)
    audit_row(db, listing, actor=user, action="create", entity="listing")
    notify_followers(db, listing, atlas=atlas, index=market_index(request), actor=user)
    db.commit()
    return publics(db, [listing], user=user, atlas=atlas)[0]


@router.get("/listings/{listing_id}")
def read_listing(
    listing_id: DbIdPath,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
) -> ListingPublic:
    """One listing (404 when not visible to the caller)."""
    listing = get_visible(db, _id(listing_id), user)
    return publics(db, [listing], user=user, atlas=atlas)[0]


def _id(value: int) -> int:
    if not 1 <= value <= 2**31 - 1:
        raise ApiError(404, "记录不存在")
    return value


@router.patch("/listings/{listing_id}")
def update_listing(
    listing_id: DbIdPath,
    body: ListingUpdate,
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: Annotated[User, requires(owner("listing"))],
) -> ListingPublic:
    """Change a listing of the caller's organization (publish, close, edit)."""
    listing = editable_record(db, Listing, _id(listing_id), user, not_found="供需信息不存在")
    if body.version is not None and body.version != listing.version:
        raise ApiError(409)
    before = snapshot(listing)
    values = body.model_dump(exclude_unset=True, exclude={"version"})
    cleared = required_cleared(Listing, values)
    if cleared:
        fields = [{"field": f"body.{name}", "message": "may not be null"} for name in cleared]
        raise ApiError(422, f"以下字段不能清空：{'、'.join(cleared)}", fields=fields)
    try:
        _apply(listing, values, atlas)
        _publish_check(listing, before["status"])
    except market.MarketError as exc:
        raise _error(exc) from exc
    audit_row(db, listing, actor=user, action="update", entity="listing", before=before)
    if before["status"] != "published":
        notify_followers(db, listing, atlas=atlas, index=market_index(request), actor=user)
    db.commit()
    return publics(db, [listing], user=user, atlas=atlas)[0]


def match_publics(
    db: Session, results: list[market.MatchResult], *, user: User | None, atlas: Atlas
) -> list[MatchPublic]:
    """Public forms of computed matches."""
    listings = publics(db, [r.listing for r in results], user=user, atlas=atlas)
    return [
        MatchPublic(
            match_id=r.match.id if r.match else None,
            stage=r.match.stage if r.match else None,
            score=r.scored.score,
            bm25=r.scored.bm25,
            listing=pub,
            reasons=[ReasonPublic(**asdict(reason)) for reason in r.scored.reasons],
        )
        for r, pub in zip(results, listings, strict=True)
    ]


@router.get("/listings/{listing_id}/matches")
def listing_matches(
    listing_id: DbIdPath,
    request: Request,
    db: SessionDep,
    atlas: AtlasDep,
    user: OptionalUser,
    top: Annotated[int, Query(ge=1, le=50)] = 10,
) -> MatchesPublic:
    """The best counterparts of a listing by the full formula, each with its reasons."""
    listing = get_visible(db, _id(listing_id), user)
    results = market.compute_matches(db, market_index(request), listing, top=top)
    db.commit()
    data = match_publics(db, results, user=user, atlas=atlas)
    return MatchesPublic(data=data, count=len(data))


def _match_state(db: Session, match: Match) -> MatchStatePublic:
    events = db.scalars(
        select(MatchEvent).where(MatchEvent.match_id == match.id).order_by(MatchEvent.id)
    ).all()
    return MatchStatePublic(
        id=match.id,
        demand_id=match.demand_id,
        achievement_id=match.achievement_id,
        stage=match.stage,
        score=match.score,
        decline_reason=match.decline_reason,
        version=match.version,
        history=[MatchEventPublic.model_validate(e) for e in events],
    )


@router.get("/matches/{match_id}")
def read_match(match_id: DbIdPath, db: SessionDep, user: OptionalUser) -> MatchStatePublic:
    """A stored match with its history (visible to both sides, analysts and admins)."""
    match = db.get(Match, _id(match_id))
    if match is None or not (
        market.may_act_on(db, match, user) or (user and user.role == "analyst")
    ):
        raise ApiError(404, "对接记录不存在")
    return _match_state(db, match)


@router.post("/matches/{match_id}/transitions")
def transition_match(
    match_id: DbIdPath,
    body: TransitionCreate,
    db: SessionDep,
    user: Annotated[User, requires(owner("match"))],
) -> MatchStatePublic:
    """Move a match to its next stage, or decline it with a reason (either side's editors)."""
    match = db.get(Match, _id(match_id))
    if match is None:
        raise ApiError(404, "对接记录不存在")
    if not market.may_act_on(db, match, user):
        raise ApiError(403)
    if body.version is not None and body.version != match.version:
        raise ApiError(409)
    try:
        market.transition(db, match, to=body.to, user=user, reason=body.reason, note=body.note)
    except market.MarketError as exc:
        raise _error(exc) from exc
    db.commit()
    return _match_state(db, match)


@router.get("/segment-suggestions")
def segment_suggestions(
    atlas: AtlasDep, text: Annotated[str, Query(max_length=4000)] = ""
) -> SegmentSuggestions:
    """Atlas segments suggested for a listing's text, with their evidence."""
    found = market.suggest_segments(text, atlas, limit=5) if text.strip() else []
    data = [SegmentSuggestion(**item, name=atlas.segment(item["segment"]).name) for item in found]
    return SegmentSuggestions(data=data, count=len(data))
