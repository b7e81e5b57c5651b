"""Drafts from chain gaps: the current suggestion by id, and a draft demand or challenge of
the caller's organization pre-filled from it."""

from __future__ import annotations

from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas, AtlasLookupError, Industry
from jingjinji.auth import audit_row, record_change, snapshot
from jingjinji.chains.coverage import ChainContext, coverage
from jingjinji.chains.places import PlaceScope, scope_of
from jingjinji.chains.suggest import Suggestion, parse_suggestion_id, suggest
from jingjinji.loop.repository.shared import LoopError
from jingjinji.store.models import (
    GapListing,
    Listing,
    User,
)


def find_suggestion(
    session: Session,
    atlas: Atlas,
    context: ChainContext,
    industry: Industry,
    suggestion_id: str,
) -> tuple[Suggestion, PlaceScope]:
    """The current suggestion with this id, or :class:`LoopError` (404 when gone)."""
    try:
        _kind, place_key, _segment = parse_suggestion_id(suggestion_id)
        scope = scope_of(atlas, place_key)
    except (ValueError, AtlasLookupError) as error:
        raise LoopError(404, "id", "unknown suggestion", "建议不存在") from error
    cov = coverage(industry, place=scope, context=context)
    for item in suggest(industry, cov=cov, context=context):
        if item.id == suggestion_id:
            return item, scope
    raise LoopError(404, "id", "no such suggestion now", "该建议已不存在（缺口可能已补上）")


def create_draft(
    session: Session,
    atlas: Atlas,
    *,
    industry: Industry,
    suggestion: Suggestion,
    scope: PlaceScope,
    kind: Literal["demand", "challenge"],
    user: User,
) -> tuple[Listing, bool]:
    """A draft demand or challenge of the caller's organization pre-filled from the gap, and
    whether it was created (an open draft of the same kind from the same gap is reused)."""
    from jingjinji import market
    from jingjinji.loop import draft_listing

    if not scope.key.isdigit():
        raise LoopError(
            422, "id", "the suggestion's place is not one place", "请先选择具体的地市或区县"
        )
    if user.organization_id is None:
        raise LoopError(403, "organization", "no organization", "当前账号不属于任何机构")
    existing = session.scalar(
        select(Listing)
        .join(GapListing, GapListing.listing_id == Listing.id)
        .where(
            GapListing.suggestion_id == suggestion.id,
            GapListing.organization_id == user.organization_id,
            Listing.kind == kind,
            Listing.status == "draft",
        )
        .order_by(Listing.id.desc())
    )
    if existing is not None:
        return existing, False
    values = draft_listing(
        kind=kind,
        suggestion=suggestion.as_dict(),
        industry=industry,
        segment=atlas.segment(suggestion.segment),
        place_adcode=scope.key,
        place_name=scope.name,
    )
    segments = values.pop("segments")
    values.pop("industries")
    listing = Listing(organization_id=user.organization_id, provenance="user", **values)
    market.set_segments(listing, segments, atlas)
    session.add(listing)
    session.flush()
    link = GapListing(
        suggestion_id=suggestion.id,
        kind=suggestion.kind,
        industry=industry.slug,
        segment=suggestion.segment,
        place_key=scope.key,
        listing_id=listing.id,
        organization_id=user.organization_id,
        created_by=user.id,
    )
    session.add(link)
    audit_row(session, listing, actor=user, action="create", entity="listing")
    record_change(
        session,
        actor=user,
        action="create",
        entity="gap_listing",
        entity_id=link.id,
        after=snapshot(link),
    )
    return listing, True
