"""Listings, their computed matches and stored match states as response schemas."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from jingjinji import market
from jingjinji.atlas import Atlas, AtlasLookupError
from jingjinji.auth import can_edit
from jingjinji.matching import TRL_RANGES, Reason
from jingjinji.store.models import Listing, User
from jingjinji.web.schemas.listings import (
    ListingPublic,
    MatchPublic,
    ReasonPublic,
    SegmentRef,
    SegmentSuggestion,
)

__all__ = [
    "listing_public",
    "listing_publics",
    "match_publics",
    "place_name",
    "segment_suggestions",
]


def place_name(atlas: Atlas, adcode: str | None) -> str | None:
    """The atlas name of a place (the code itself when the atlas does not know it)."""
    if not adcode:
        return None
    try:
        return atlas.place(adcode).name
    except AtlasLookupError:
        return adcode


def _trl(stage: str | None) -> str | None:
    if stage not in TRL_RANGES:
        return None
    lo, hi = TRL_RANGES[stage]
    return f"TRL {lo}" if lo == hi else f"TRL {lo}–{hi}"


def _segments(atlas: Atlas, slugs: Sequence[str]) -> list[SegmentRef]:
    refs = []
    for slug in slugs:
        try:
            segment = atlas.segment(slug)
            refs.append(
                SegmentRef(slug=slug, name=segment.name, industry=atlas.industry_of(slug).slug)
            )
        except AtlasLookupError:
            continue
    return refs


def listing_public(
    listing: Listing,
    *,
    user: User | None,
    atlas: Atlas,
    org_name: str,
    revealed_to: Collection[int] = (),
    confidential_ok: bool = False,
) -> ListingPublic:
    """The public form of a listing for ``user``: contacts hidden unless allowed (public,
    owners, or ``revealed_to`` the other side of a deal at 洽谈); confidential details only
    with ``confidential_ok`` (owners, or accepted the agreement)."""
    values = {c.key: getattr(listing, c.key) for c in Listing.__table__.columns}
    state = market.completeness(listing.kind, values)
    visible = market.contact_visible(listing, user, revealed_to)
    return ListingPublic(
        **{
            key: values[key]
            for key in ListingPublic.model_fields
            if key in values and key not in ("segments", "contact")
        },
        kind_label=market.KIND_LABELS.get(listing.kind, listing.kind),
        organization_name=org_name,
        place_name=place_name(atlas, listing.place_adcode),
        segments=_segments(atlas, listing.segments or []),
        trl=_trl(listing.stage),
        expired=market.is_expired(listing),
        contact=listing.contact if visible else None,
        completeness=state.score,
        missing=state.missing,
        is_sample=listing.provenance == "demo",
        can_edit=can_edit(user, listing.organization_id),
        has_confidential=bool(listing.confidential),
        confidential_details=listing.confidential if confidential_ok else None,
    )


def listing_publics(
    listings: Sequence[Listing],
    names: Mapping[int, str],
    *,
    user: User | None,
    atlas: Atlas,
    revealed: Mapping[int, Collection[int]] | None = None,
) -> list[ListingPublic]:
    """Public forms of ``listings``; ``names`` are organization names by id (see
    :func:`jingjinji.market.organization_names`), ``revealed`` per listing id the
    organizations its contact is revealed to (:func:`jingjinji.market.revealed_contacts`)."""
    revealed = revealed or {}
    return [
        listing_public(
            item,
            user=user,
            atlas=atlas,
            org_name=names.get(item.organization_id, ""),
            revealed_to=revealed.get(item.id, ()),
            confidential_ok=user is not None and user.organization_id == item.organization_id,
        )
        for item in listings
    ]


def _reason_public(reason: Reason) -> ReasonPublic:
    """The public form of a reason, field by field (``dataclasses.asdict`` deep-copies the
    terms and cost a third of a matches page; the values come from the scorer, not a user)."""
    return ReasonPublic.model_construct(
        factor=reason.factor,
        label=reason.label,
        detail=reason.detail,
        value=reason.value,
        weight=reason.weight,
        points=reason.points,
        terms=list(reason.terms),
        found_by=list(reason.found_by),
        similarity=reason.similarity,
        passage=reason.passage,
    )


def match_publics(
    results: Sequence[market.MatchResult],
    names: Mapping[int, str],
    *,
    user: User | None,
    atlas: Atlas,
) -> list[MatchPublic]:
    """Public forms of computed matches; ``names`` as for :func:`listing_publics`."""
    listings = listing_publics([r.listing for r in results], names, user=user, atlas=atlas)
    return [
        MatchPublic(
            match_id=r.match.id if r.match else None,
            stage=r.match.stage if r.match else None,
            score=r.scored.score,
            bm25=r.scored.bm25,
            listing=pub,
            reasons=[_reason_public(reason) for reason in r.scored.reasons],
        )
        for r, pub in zip(results, listings, strict=True)
    ]


def segment_suggestions(found: Sequence[dict[str, Any]], atlas: Atlas) -> list[SegmentSuggestion]:
    """Suggested segments (see :func:`jingjinji.market.suggest_segments`) with their names."""
    return [SegmentSuggestion(**item, name=atlas.segment(item["segment"]).name) for item in found]
