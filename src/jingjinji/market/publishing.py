"""Saving a listing someone creates or edits: its field values applied and checked, the change
audited, and its followers notified when it is being published (see
:mod:`jingjinji.market.follows`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from jingjinji.atlas import Atlas
from jingjinji.auth import audit_row
from jingjinji.market.follows import notify_followers
from jingjinji.market.index import MarketIndex
from jingjinji.market.listings import MarketError, place_or_error, set_segments
from jingjinji.store.models import Listing, User

__all__ = ["apply_values", "check_publishable", "save_listing"]


def apply_values(listing: Listing, values: dict[str, Any], atlas: Atlas) -> None:
    """Set a listing's field ``values`` (a place checked by
    :func:`~jingjinji.market.listings.place_or_error`, segments by
    :func:`~jingjinji.market.listings.set_segments`); raises :class:`MarketError`."""
    segments = values.pop("segments", None)
    if "place_adcode" in values:
        values["place_adcode"] = place_or_error(atlas, values["place_adcode"])
    for key, value in values.items():
        setattr(listing, key, value)
    if segments is not None:
        set_segments(listing, segments, atlas)


def check_publishable(listing: Listing, before_status: str | None) -> None:
    """When ``listing`` is being published (its status was ``before_status``), require a
    title, summary and place, and stamp ``published_at``; raises :class:`MarketError`."""
    if listing.status == "published" and before_status != "published":
        for name, label in (("title", "名称"), ("summary", "简介"), ("place_adcode", "所在地")):
            if not getattr(listing, name):
                raise MarketError(name, f"{name} is required to publish", f"发布前请填写{label}")
        listing.published_at = datetime.now(UTC)


def save_listing(
    session: Session,
    listing: Listing,
    values: dict[str, Any],
    *,
    before: dict[str, Any] | None,
    actor: User,
    atlas: Atlas,
    index: MarketIndex,
) -> None:
    """Apply ``values`` to ``listing`` and audit it: created when ``before`` is ``None``, else
    updated from the :func:`~jingjinji.auth.snapshot` ``before``; followers are notified
    unless it was published already. Raises :class:`MarketError`; the caller commits."""
    before_status = None if before is None else before["status"]
    apply_values(listing, values, atlas)
    check_publishable(listing, before_status)
    if before is None:
        session.add(listing)
        audit_row(session, listing, actor=actor, action="create", entity="listing")
    else:
        audit_row(session, listing, actor=actor, action="update", entity="listing", before=before)
    if before_status != "published":
        notify_followers(session, listing, atlas=atlas, index=index, actor=actor)
