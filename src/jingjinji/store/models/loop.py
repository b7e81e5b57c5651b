"""The loop between the chain map and the market: which listing was drafted from which gap."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from jingjinji.store.base import Base, TimestampMixin

__all__ = ["GapListing"]


class GapListing(TimestampMixin, Base):
    """A demand or 揭榜挂帅 challenge drafted from a chain-map suggestion (补链·延链·强链).

    ``suggestion_id`` is the stable id of :mod:`jingjinji.chains.suggest`
    (``fill.130600.hydrogen-fc-mea``); ``place_key`` and ``segment`` are its parts, kept as
    columns for filtering. One row per listing.
    """

    __tablename__ = "gap_listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[str] = mapped_column(String(160), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    industry: Mapped[str] = mapped_column(String(64), index=True)
    segment: Mapped[str] = mapped_column(String(80))
    place_key: Mapped[str] = mapped_column(String(80), index=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), unique=True
    )
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
